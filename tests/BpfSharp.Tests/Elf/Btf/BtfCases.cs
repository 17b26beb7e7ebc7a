using static BpfSharp.Uapi.Errno;
using BpfSharp.Elf.Btf;

namespace BpfSharp.Tests.Elf.Btf;

/// <summary>
/// The BTF verifier's rules, one literal case each: header and sections, the first pass over each
/// record (check_meta), the second pass resolving references (resolve and check_member), FUNC_PROTO
/// and type-tag checks, and blobs the kernel accepts. Fault texts are those of kernel/bpf/btf.c; the
/// live-kernel test checks every case against BPF_BTF_LOAD.
/// </summary>
public static class BtfCases
{
    private static BtfCase Ok(string name, Action<BtfBuilder> build) => new(name, 0, "", () => Make(build));

    private static BtfCase Bad(string name, int errno, string fault, Action<BtfBuilder> build, Func<byte[], byte[]>? patch = null) =>
        new(name, errno, fault, () => patch is null ? Make(build) : patch(Make(build)));

    private static byte[] Make(Action<BtfBuilder> build)
    {
        var b = new BtfBuilder();
        build(b);
        return b.Build();
    }

    private static void OneInt(BtfBuilder b) => b.Int("int", 4, BtfConstants.IntSigned);

    /// <summary>A blob with the 24-byte header followed by <paramref name="body"/> and the given section fields.</summary>
    private static byte[] Layout(byte[] body, uint typeOff, uint typeLen, uint strOff, uint strLen)
    {
        var blob = new byte[24 + body.Length];
        blob[0] = 0x9f; blob[1] = 0xeb; blob[2] = 1;
        BtfBuilder.Patch32(blob, 4, 24);
        BtfBuilder.Patch32(blob, 8, typeOff);
        BtfBuilder.Patch32(blob, 12, typeLen);
        BtfBuilder.Patch32(blob, 16, strOff);
        BtfBuilder.Patch32(blob, 20, strLen);
        body.CopyTo(blob, 24);
        return blob;
    }

    /// <summary>The record of one INT "int" (16 bytes) and the strings "\0int\0".</summary>
    private static readonly byte[] IntRecord = [1, 0, 0, 0, 0, 0, 0, 1, 4, 0, 0, 0, 32, 0, 0, 1];
    private static readonly byte[] IntStrings = [0, (byte)'i', (byte)'n', (byte)'t', 0];

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>Inserts <paramref name="tail"/> after the 24-byte header and grows hdr_len to cover it.</summary>
    private static byte[] WithHeaderTail(byte[] blob, params byte[] tail)
    {
        var grown = Concat(blob[..24], tail, blob[24..]);
        return BtfBuilder.Patch32(grown, 4, (uint)(24 + tail.Length));
    }

    public static IEnumerable<BtfCase> Header()
    {
        yield return new("hdr_len missing", EINVAL, "hdr_len not found", () => [0x9f, 0xeb, 1, 0]);
        yield return Bad("hdr_len past the end", EINVAL, "btf_header not found", OneInt, b => BtfBuilder.Patch32(b, 4, 4096));
        yield return Bad("non-zero header tail", E2BIG, "Unsupported btf_header", OneInt, b => WithHeaderTail(b, 0, 0, 1, 0));
        yield return Bad("bad magic", EINVAL, "Invalid magic", OneInt, b => { b[0] = 0x34; b[1] = 0x12; return b; });
        yield return Bad("version 2", ENOTSUPP, "Unsupported version", OneInt, b => { b[2] = 2; return b; });
        yield return Bad("flags set", ENOTSUPP, "Unsupported flags", OneInt, b => { b[3] = 1; return b; });
        yield return new("header only", EINVAL, "No data", () => Layout([], 0, 0, 0, 0));
        yield return new("section offset past the data", EINVAL, "Invalid section offset",
            () => Layout(Concat(IntRecord, IntStrings), 0, 16, 64, 5));
        yield return new("gap before the strings", EINVAL, "Unsupported section found",
            () => Layout(Concat(IntRecord, [0, 0, 0, 0], IntStrings), 0, 16, 20, 5));
        yield return new("sections overlap", EINVAL, "Section overlap found",
            () => Layout(Concat(IntRecord, IntStrings), 0, 16, 12, 9));
        yield return new("section longer than the data", EINVAL, "Total section length too long",
            () => Layout(Concat(IntRecord, IntStrings), 0, 16, 16, 6));
        yield return new("bytes after the sections", EINVAL, "Unsupported section found",
            () => Layout(Concat(IntRecord, IntStrings, [0, 0, 0, 0]), 0, 16, 16, 5));
        yield return new("strings before the types", EINVAL, "String section is not at the end",
            () => Layout(Concat([0, (byte)'i', (byte)'n', (byte)'t', 0, 0, 0, 0], IntRecord), 8, 16, 0, 8));
        yield return new("strings not starting with NUL", EINVAL, "Invalid string section",
            () => Layout(Concat(IntRecord, [(byte)'x', (byte)'i', (byte)'n', (byte)'t', 0]), 0, 16, 16, 5));
        yield return new("strings not ending with NUL", EINVAL, "Invalid string section",
            () => Layout(Concat(IntRecord, [0, (byte)'i', (byte)'n', (byte)'t', (byte)'x']), 0, 16, 16, 5));
        yield return new("empty string section", EINVAL, "Invalid string section",
            () => Layout(IntRecord, 0, 16, 16, 0));
        yield return new("unaligned type_off", EINVAL, "Unaligned type_off", () => Layout([0, 0], 2, 0, 0, 2));
        yield return new("no types", EINVAL, "No type found", () => Layout([0], 0, 0, 0, 1));
        yield return new("larger than 16 MiB", E2BIG, "is larger than BTF_MAX_SIZE (16777216)",
            () => new byte[BtfConstants.MaxSize + 1]) { SilentInKernel = true };
    }

    public static IEnumerable<BtfCase> Records()
    {
        uint info = BtfBuilder.Info(BtfKind.Int);
        yield return Bad("truncated record", EINVAL, "[2] meta_left:8 meta_needed:12",
            b => { OneInt(b); b.RawBytes(0, 0, 0, 0, 0, 0, 0, 1); });
        yield return Bad("info bits outside the mask", EINVAL, "[1] Invalid btf_info:1010000",
            b => b.Raw(0, info | 0x10000, 4, 32));
        yield return Bad("kind 0", EINVAL, "[1] Invalid kind:0", b => b.Raw(0, 0, 4, 32));
        yield return Bad("kind 20", EINVAL, "[1] Invalid kind:20", b => b.Raw(0, 20u << 24, 4, 32));
        yield return Bad("name offset past the strings", EINVAL, "[1] Invalid name_offset:99", b => b.Raw(99, info, 4, 32));

        yield return Bad("INT without its data word", EINVAL, "meta_left:0 meta_needed:4", b => b.Raw(b.Str("int"), info, 4));
        yield return Bad("INT with vlen", EINVAL, "vlen != 0", b => b.Raw(b.Str("int"), info | 1, 4, 32));
        yield return Bad("INT with kind_flag", EINVAL, "Invalid btf_info kind_flag", b => b.Raw(b.Str("int"), info | 1u << 31, 4, 32));
        yield return Bad("INT data above the mask", EINVAL, "Invalid int_data:10000020", b => b.Raw(b.Str("int"), info, 4, 0x10000020));
        yield return Bad("INT wider than 128 bits", EINVAL, "nr_bits exceeds 128", b => b.Int("big", 16, bits: 120, offset: 9));
        yield return Bad("INT wider than its size", EINVAL, "nr_bits exceeds type_size", b => b.Int("short", 1, bits: 16));
        yield return Bad("INT encoding signed|char", ENOTSUPP, "Unsupported encoding", b => b.Int("int", 4, 3));

        yield return Bad("PTR with vlen", EINVAL, "vlen != 0", b => { OneInt(b); b.Raw(0, BtfBuilder.Info(BtfKind.Ptr, 1), 1); });
        yield return Bad("CONST with kind_flag", EINVAL, "Invalid btf_info kind_flag", b => { OneInt(b); b.Raw(0, BtfBuilder.Info(BtfKind.Const, 0, true), 1); });
        yield return Bad("PTR type above BTF_MAX_TYPE", EINVAL, "Invalid type_id", b => b.Ptr(BtfConstants.MaxType + 1));
        yield return Bad("TYPEDEF without name", EINVAL, "Invalid name", b => { OneInt(b); b.Typedef("", 1); });
        yield return Bad("TYPEDEF named a-b", EINVAL, "Invalid name", b => { OneInt(b); b.Typedef("a-b", 1); });
        yield return Bad("VOLATILE with a name", EINVAL, "Invalid name", b => { OneInt(b); b.Raw(b.Str("v"), BtfBuilder.Info(BtfKind.Volatile), 1); });
        yield return Bad("TYPE_TAG without value", EINVAL, "Invalid name", b => { OneInt(b); b.TypeTag("", 1); });

        yield return Bad("FWD with a type", EINVAL, "type != 0", b => b.Raw(b.Str("s"), BtfBuilder.Info(BtfKind.Fwd), 1));
        yield return Bad("FWD without name", EINVAL, "Invalid name", b => b.Fwd(""));

        yield return Bad("ARRAY without its data", EINVAL, "meta_left:4 meta_needed:12", b => b.Raw(0, BtfBuilder.Info(BtfKind.Array), 0, 1));
        yield return Bad("ARRAY with a name", EINVAL, "Invalid name", b => { OneInt(b); b.Raw(b.Str("a"), BtfBuilder.Info(BtfKind.Array), 0, 1, 1, 2); });
        yield return Bad("ARRAY with a size", EINVAL, "size != 0", b => { OneInt(b); b.Raw(0, BtfBuilder.Info(BtfKind.Array), 8, 1, 1, 2); });
        yield return Bad("ARRAY of void", EINVAL, "Invalid elem", b => { OneInt(b); b.Array(0, 1, 2); });
        yield return Bad("ARRAY index void", EINVAL, "Invalid index", b => { OneInt(b); b.Array(1, 0, 2); });

        yield return Bad("STRUCT missing a member record", EINVAL, "meta_left:12 meta_needed:24",
            b => { OneInt(b); b.Raw(b.Str("s"), BtfBuilder.Info(BtfKind.Struct, 2), 8, b.Str("a"), 1, 0); });
        yield return Bad("STRUCT named 1abc", EINVAL, "Invalid name", b => { OneInt(b); b.Struct("1abc", 4, ("a", 1, 0)); });
        yield return Bad("member name offset past the strings", EINVAL, "Invalid member name_offset:99",
            b => { OneInt(b); b.Raw(b.Str("s"), BtfBuilder.Info(BtfKind.Struct, 1), 4, 99, 1, 0); });
        yield return Bad("member named a b", EINVAL, "Invalid name", b => { OneInt(b); b.Struct("s", 4, ("a b", 1, 0)); });
        yield return Bad("member of type void", EINVAL, "Invalid type_id", b => { OneInt(b); b.Struct("foo", 8, ("bar", 0, 0)); });
        yield return Bad("UNION member not at offset 0", EINVAL, "Invalid member bits_offset",
            b => { OneInt(b); b.Raw(b.Str("u"), BtfBuilder.Info(BtfKind.Union, 1), 8, b.Str("a"), 1, 32); });
        yield return Bad("members out of order", EINVAL, "Invalid member bits_offset",
            b => { OneInt(b); b.Struct("s", 8, ("a", 1, 32), ("b", 1, 0)); });
        yield return Bad("member offset past the struct", EINVAL, "Member bits_offset exceeds its struct size",
            b => { OneInt(b); b.Struct("s", 4, ("a", 1, 40)); });

        yield return Bad("ENUM of 3 bytes", EINVAL, "Unexpected size", b => b.Enum("e", 3, ("A", 1)));
        yield return Bad("ENUM64 of 16 bytes", EINVAL, "Unexpected size", b => b.Enum64("e", 16, ("A", 1)));
        yield return Bad("enumerator without name", EINVAL, "Invalid name", b => b.Enum("e", 4, ("", 1)));
        yield return Bad("enumerator name offset past the strings", EINVAL, "Invalid name_offset:99",
            b => b.Raw(b.Str("e"), BtfBuilder.Info(BtfKind.Enum, 1), 4, 99, 1));

        yield return Bad("FUNC_PROTO with a name", EINVAL, "Invalid name", b => b.Raw(b.Str("p"), BtfBuilder.Info(BtfKind.FuncProto), 0));
        yield return Bad("FUNC_PROTO with kind_flag", EINVAL, "Invalid btf_info kind_flag", b => b.Raw(0, BtfBuilder.Info(BtfKind.FuncProto, 0, true), 0));
        yield return Bad("FUNC without name", EINVAL, "Invalid name", b => { b.FuncProto(0); b.Func("", 1); });
        yield return Bad("FUNC extern", EINVAL, "Invalid func linkage", b => { b.FuncProto(0); b.Func("f", 1, BtfConstants.FuncExtern); });

        yield return Bad("VAR extern", EINVAL, "Linkage not supported", b => { OneInt(b); b.Var("v", 1, BtfConstants.VarGlobalExtern); });
        yield return Bad("VAR of void", EINVAL, "Invalid type_id", b => b.Var("v", 0));
        yield return Bad("VAR named x-y", EINVAL, "Invalid name", b => { OneInt(b); b.Var("x-y", 1); });

        yield return Bad("DATASEC of size 0", EINVAL, "size == 0", b => { OneInt(b); b.Var("v", 1); b.Datasec(".data", 0); });
        yield return Bad("DATASEC without name", EINVAL, "Invalid name", b => { OneInt(b); b.Var("v", 1); b.Datasec("", 8, (2, 0, 4)); });
        yield return Bad("DATASEC named with a tab", EINVAL, "Invalid name", b => { OneInt(b); b.Var("v", 1); b.Datasec(".da\tta", 8, (2, 0, 4)); });
        yield return Bad("DATASEC variables overlap", EINVAL, "Invalid offset",
            b => { OneInt(b); b.Var("v", 1); b.Var("w", 1); b.Datasec(".data", 8, (2, 0, 4), (3, 2, 4)); });
        yield return Bad("DATASEC variable of size 0", EINVAL, "Invalid size", b => { OneInt(b); b.Var("v", 1); b.Datasec(".data", 8, (2, 0, 0)); });
        yield return Bad("DATASEC variable past the end", EINVAL, "Invalid offset+size",
            b => { OneInt(b); b.Var("v", 1); b.Datasec(".data", 8, (2, 6, 4)); });
        yield return Bad("DATASEC variable of type void", EINVAL, "Invalid type_id", b => { OneInt(b); b.Datasec(".data", 8, (0, 0, 4)); });

        yield return Bad("FLOAT of 3 bytes", EINVAL, "Invalid type_size", b => b.Float("f", 3));
        yield return Bad("DECL_TAG without value", EINVAL, "Invalid value", b => { OneInt(b); b.Var("v", 1); b.DeclTag("", 2); });
        yield return Bad("DECL_TAG component -2", EINVAL, "Invalid component_idx", b => { OneInt(b); b.Var("v", 1); b.DeclTag("t", 2, -2); });
    }

    public static IEnumerable<BtfCase> References()
    {
        yield return Bad("PTR to a VAR", EINVAL, "Invalid type_id", b => { OneInt(b); b.Var("v", 1); b.Ptr(2); });
        yield return Bad("PTR past the last type", EINVAL, "Invalid type_id", b => { OneInt(b); b.Ptr(7); });
        yield return Bad("TYPEDEF of a VAR", EINVAL, "Invalid type_id", b => { OneInt(b); b.Var("v", 1); b.Typedef("t", 2); });
        yield return Bad("TYPEDEF loop", EEXIST, "Loop detected", b => { b.Typedef("a", 2); b.Typedef("b", 1); });
        yield return Bad("STRUCT containing itself", EEXIST, "Loop detected", b => b.Struct("s", 4, ("self", 1, 0)));
        yield return Bad("pointer loop through CONST", EEXIST, "Loop detected", b => { b.Const(2); b.Ptr(1); });
        yield return Bad("33 modifiers deep", E2BIG, "Exceeded max resolving depth:32", b =>
        {
            for (uint i = 1; i <= 33; i++) b.Const(i + 1);
            OneInt(b);
        });
        yield return Bad("ARRAY indexed by a struct", EINVAL, "Invalid index", b => { OneInt(b); b.Struct("s", 4, ("a", 1, 0)); b.Array(1, 2, 4); });
        yield return Bad("ARRAY of a FWD", EINVAL, "Invalid elem", b => { OneInt(b); b.Fwd("s"); b.Array(2, 1, 4); });
        yield return Bad("ARRAY of a 3-bit INT", EINVAL, "Invalid array of int", b => { OneInt(b); b.Int("bits", 1, bits: 3); b.Array(2, 1, 4); });
        yield return Bad("ARRAY over 4 GiB", EINVAL, "Array size overflows U32_MAX", b => { OneInt(b); b.Array(1, 1, 0x40000000); });

        yield return Bad("member of a FWD type", EINVAL, "Invalid member", b => { b.Fwd("f"); b.Struct("s", 4, ("a", 1, 0)); });
        yield return Bad("member past the struct's end", EINVAL, "Member exceeds struct_size", b => { OneInt(b); b.Struct("s", 6, ("a", 1, 32)); });
        yield return Bad("pointer member not byte aligned", EINVAL, "Member is not byte aligned",
            b => { OneInt(b); b.Ptr(1); b.Struct("s", 16, ("p", 2, 4)); });
        yield return Bad("INT member copying 129 bits", EINVAL, "nr_copy_bits exceeds 128",
            b => { b.Int("__int128", 16); b.Struct("s", 32, ("a", 1, 1)); });
        yield return Bad("bitfield wider than its INT", EINVAL, "Invalid member bitfield_size",
            b => { OneInt(b); b.StructKflag("s", 8, ("a", 1, 0, 33)); });
        yield return Bad("bitfield of a non-regular INT", EINVAL, "Invalid member base type",
            b => { b.Int("bits", 1, bits: 3); b.StructKflag("s", 4, ("a", 1, 0, 2)); });
        yield return Bad("kind_flag member not at a byte", EINVAL, "Invalid member offset",
            b => { OneInt(b); b.StructKflag("s", 8, ("a", 1, 3, 0)); });
        yield return Bad("bitfield of a pointer", EINVAL, "Invalid member bitfield_size",
            b => { OneInt(b); b.Ptr(1); b.StructKflag("s", 8, ("p", 2, 0, 8)); });
        yield return Bad("enum bitfield of 33 bits", EINVAL, "Invalid member bitfield_size",
            b => { b.Enum64("e", 8, ("A", 1)); b.StructKflag("s", 8, ("a", 1, 0, 33)); });
        yield return Bad("misaligned double member", EINVAL, "Member is not properly aligned",
            b => { b.Float("double", 8); b.Struct("s", 16, ("d", 1, 32)); });

        yield return Bad("DATASEC entry not a VAR", EINVAL, "Not a VAR kind member", b => { OneInt(b); b.Datasec(".data", 8, (1, 0, 4)); });
        yield return Bad("DATASEC slot smaller than the VAR", EINVAL, "Invalid size",
            b => { b.Int("long", 8); b.Var("v", 1); b.Datasec(".data", 8, (2, 0, 4)); });
        yield return Bad("VAR of a FWD", EINVAL, "Invalid type_id", b => { b.Fwd("s"); b.Var("v", 1); });
        yield return Bad("FUNC of an INT", EINVAL, "Invalid type_id", b => { OneInt(b); b.Func("f", 1); });
        yield return Bad("FUNC with an unnamed argument", EINVAL, "Invalid arg#1", b => { OneInt(b); b.FuncProto(1, ("", 1)); b.Func("f", 2); });
        yield return Bad("vararg before the last argument", EINVAL, "Invalid arg#1", b => { OneInt(b); b.FuncProto(1, ("", 0), ("x", 1)); });
        yield return Bad("named vararg", EINVAL, "Invalid arg#2", b => { OneInt(b); b.FuncProto(1, ("x", 1), ("rest", 0)); });
        yield return Bad("returning a VAR", EINVAL, "Invalid return type", b => { OneInt(b); b.Var("v", 1); b.FuncProto(2); });
        yield return Bad("returning a FWD", EINVAL, "Invalid return type", b => { b.Fwd("s"); b.FuncProto(1); });
        yield return Bad("argument named 9x", EINVAL, "Invalid arg#1", b => { OneInt(b); b.FuncProto(1, ("9x", 1)); });
        yield return Bad("DECL_TAG on an INT", EINVAL, "Invalid type_id", b => { OneInt(b); b.DeclTag("t", 1); });
        yield return Bad("DECL_TAG on member 1 of a 1-member struct", EINVAL, "Invalid component_idx",
            b => { OneInt(b); b.Struct("s", 4, ("a", 1, 0)); b.DeclTag("t", 2, 1); });
        yield return Bad("DECL_TAG component on a VAR", EINVAL, "Invalid component_idx", b => { OneInt(b); b.Var("v", 1); b.DeclTag("t", 2, 0); });
        yield return Bad("TYPE_TAG after CONST", EINVAL, "Type tags don't precede modifiers",
            b => { OneInt(b); b.TypeTag("user", 1); b.Const(2); });
    }

    /// <summary>
    /// kernel: btf_parse_struct_metas: a STRUCT with a direct member of type struct bpf_spin_lock (or
    /// list/rb head or node, refcount) or of a kptr pointer type must hold a valid set of special fields.
    /// The kernel logs no fault line for these.
    /// </summary>
    public static IEnumerable<BtfCase> StructMetas()
    {
        static void Lock(BtfBuilder b)
        {
            OneInt(b);                                             // [1] int
            b.Int("unsigned int", 4);                              // [2]
            b.Struct("bpf_spin_lock", 4, ("val", 2, 0));           // [3]
        }
        yield return Bad("two spin locks in one struct", E2BIG, "special fields: E2BIG",
            b => { Lock(b); b.Struct("value", 8, ("a", 3, 0), ("b", 3, 32)); }) with { SilentInKernel = true };
        yield return Bad("spin lock at byte 2", EFAULT, "special fields: EFAULT",
            b => { Lock(b); uint c = b.Int("char", 1); b.Struct("value", 8, ("c", c, 0), ("l", 3, 16)); }) with { SilentInKernel = true };
        yield return Bad("bitfield in a struct with a spin lock", EINVAL, "special fields: EINVAL",
            b => { Lock(b); b.StructKflag("value", 8, ("a", 1, 0, 3), ("b", 1, 3, 5), ("l", 3, 32, 0)); }) with { SilentInKernel = true };
        yield return Bad("spin lock beside a bogus kptr tag", EINVAL, "special fields: EINVAL", b =>
        {
            Lock(b);
            uint obj = b.Struct("zz_obj", 4, ("x", 1, 0));
            uint tag = b.TypeTag("kptr_bogus", obj);
            uint ptr = b.Ptr(tag);
            b.Struct("value", 16, ("l", 3, 0), ("p", ptr, 64));
        }) with { SilentInKernel = true };
        yield return Ok("kptr to a program-local struct", b =>
        {
            OneInt(b);
            uint obj = b.Struct("zz_local_obj", 4, ("x", 1, 0));
            uint tag = b.TypeTag("kptr", obj);
            uint ptr = b.Ptr(tag);
            b.Struct("holder", 8, ("p", ptr, 0));
        });
        static void List(BtfBuilder b)
        {
            Lock(b);
            uint u64 = b.Int("unsigned long", 8);                  // [4]
            b.Struct("bpf_list_head", 16, ("a", u64, 0), ("b", u64, 64));            // [5]
            b.Struct("bpf_list_node", 24, ("a", u64, 0), ("b", u64, 64), ("c", u64, 128)); // [6]
            b.Struct("node_data", 32, ("v", u64, 0), ("node", 6, 64));              // [7]
        }
        yield return Ok("list head with its lock and contains tag", b =>
        {
            List(b);
            uint holder = b.Struct("holder", 24, ("lock", 3, 0), ("head", 5, 64));
            b.DeclTag("contains:node_data:node", holder, 1);
        });
        yield return Bad("list head without a lock", EINVAL, "special fields: EINVAL", b =>
        {
            List(b);
            uint holder = b.Struct("holder", 16, ("head", 5, 0));
            b.DeclTag("contains:node_data:node", holder, 0);
        }) with { SilentInKernel = true };
        yield return Bad("list head without a contains tag", EINVAL, "special fields: EINVAL",
            b => { List(b); b.Struct("holder", 24, ("lock", 3, 0), ("head", 5, 64)); }) with { SilentInKernel = true };
        yield return Bad("list head naming a missing node field", ENOENT, "special fields: ENOENT", b =>
        {
            List(b);
            uint holder = b.Struct("holder", 24, ("lock", 3, 0), ("head", 5, 64));
            b.DeclTag("contains:node_data:missing", holder, 1);
        }) with { SilentInKernel = true };
    }

    public static IEnumerable<BtfCase> Valid()
    {
        yield return Ok("value struct with a spin lock", b =>
        {
            OneInt(b);
            uint u = b.Int("unsigned int", 4);
            uint l = b.Int("long", 8, BtfConstants.IntSigned);
            uint lk = b.Struct("bpf_spin_lock", 4, ("val", u, 0));
            b.Struct("value", 16, ("a", 1, 0), ("l", lk, 32), ("b", l, 64));
        });
        yield return Ok("typedef void and const void pointer", b => { b.Typedef("v", 0); b.Const(0); b.Ptr(2); });
        yield return Ok("pointer to a forward-declared struct", b => { b.Fwd("s"); b.Ptr(1); });
        yield return Ok("self-referential struct through a pointer", b => { b.Struct("node", 8, ("next", 2, 0)); b.Ptr(1); });
        yield return Ok("function pointer and variadic prototype", b =>
        {
            OneInt(b);
            b.FuncProto(1, ("fmt", 1), ("", 0));
            b.Ptr(2);
            b.Func("printk", 2);
        });
        yield return Ok("data section with two variables", b =>
        {
            OneInt(b);
            b.Var("a", 1);
            b.Var("b", 1, BtfConstants.VarStatic);
            b.Datasec(".data", 12, (2, 0, 4), (3, 8, 4));
        });
        yield return Ok("ENUM64, FLOAT, signed ENUM", b =>
        {
            b.Enum64("big", 8, ("HUGE", 0x1_0000_0000ul));
            b.Float("double", 8);
            b.Raw(b.Str("s"), BtfBuilder.Info(BtfKind.Enum, 1, true), 4, b.Str("NEG"), unchecked((uint)-1));
        });
        yield return Ok("bitfields with kind_flag", b =>
        {
            OneInt(b);
            b.StructKflag("flags", 4, ("a", 1, 0, 3), ("b", 1, 3, 5), ("c", 1, 8, 24));
        });
        yield return Ok("flexible array at the end", b =>
        {
            OneInt(b);
            b.Array(1, 1, 0);
            b.Struct("s", 4, ("n", 1, 0), ("data", 2, 32));
        });
        yield return Ok("decl tags on a struct member and a function argument", b =>
        {
            OneInt(b);
            b.Struct("s", 4, ("a", 1, 0));
            b.DeclTag("user", 2, 0);
            b.FuncProto(1, ("x", 1));
            b.Func("f", 4);
            b.DeclTag("arg", 5, 0);
        });
        yield return Ok("type tag before const", b => { OneInt(b); b.Const(1); b.TypeTag("user", 2); b.Ptr(3); });
        yield return Ok("type tag and decl tag with kind_flag (attributes)", b =>
        {
            OneInt(b);
            b.Raw(b.Str("aligned(8)"), BtfBuilder.Info(BtfKind.TypeTag, 0, true), 1);
            b.Ptr(2);
            b.Var("v", 1);
            b.Raw(b.Str("used"), BtfBuilder.Info(BtfKind.DeclTag, 0, true), 4, unchecked((uint)-1));
        });
        yield return Ok("names with dots and a printable section name", b =>
        {
            OneInt(b);
            b.Struct("a.b", 4, ("c.d", 1, 0));
            b.Var("x", 1);
            b.Datasec(".data.my section!", 4, (3, 0, 4));
        });
        yield return Ok("modifier chain in ascending ids", b =>
        {
            OneInt(b);
            for (uint i = 1; i <= 40; i++) b.Volatile(i);
        });
        yield return Ok("typedef of a FUNC", b => { b.FuncProto(0); b.Func("f", 1); b.Typedef("ft", 2); });
    }

    public static IEnumerable<BtfCase> Limits()
    {
        yield return new BtfCase("more than BTF_MAX_TYPE types", E2BIG, "Exceeded max num of types", () =>
        {
            var b = new BtfBuilder();
            for (uint i = 0; i < BtfConstants.MaxType; i++) b.Fwd("s");
            return b.Build();
        }) { UnitOnly = true };
        yield return Bad("identifier of 513 characters", EINVAL, "Invalid name", b => b.Fwd(new string('a', 513)));
        yield return Ok("identifier of 512 characters", b => b.Fwd(new string('a', 512)));
    }

    public static IEnumerable<BtfCase> All() =>
        Header().Concat(Records()).Concat(References()).Concat(StructMetas()).Concat(Valid()).Concat(Limits());

    public static TheoryData<BtfCase> Data(IEnumerable<BtfCase> cases)
    {
        var data = new TheoryData<BtfCase>();
        foreach (var c in cases) data.Add(c);
        return data;
    }
}
