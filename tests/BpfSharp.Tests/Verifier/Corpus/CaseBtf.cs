using System.Globalization;
using BpfSharp.Elf.Btf;
using BpfSharp.Isa;
using BpfSharp.Tests.Elf.Btf;
using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.Tests.Verifier.Corpus;

/// <summary>
/// The BTF a corpus case loads with its program, and the func_info records that name a BTF function for each
/// subprogram. <see cref="Funcs"/> are C-like signatures, one per subprogram in start order:
/// <c>global int main(struct __sk_buff *)</c>, <c>static int cb(u64, void *)</c>,
/// <c>global int f(struct s16 * __arg_nonnull, int)</c>. Types: <c>void</c>, <c>int</c>, <c>u64</c>, <c>char</c>,
/// <c>enum e</c>, <c>struct NAME</c> (an empty struct of 16 bytes, or of N bytes for <c>struct sN</c>), <c>float</c>
/// (a 4-byte FLOAT), a trailing <c>*</c> for a pointer, and <c>__arg_X</c> after a parameter for its
/// <c>arg:X</c> decl tag. Linkage <c>extern</c> gives a FUNC with linkage 2.
/// <para>
/// By default record i is <c>{insn_off: start of subprogram i, type_id: function i}</c>. <see cref="FuncInfo"/>
/// replaces them: space-separated <c>off:ref</c> pairs where ref is a function's name or <c>#N</c> for type id N.
/// <see cref="RecSize"/> is func_info_rec_size; bytes past the 8 of <c>struct bpf_func_info</c> are
/// <see cref="TailWord"/>.
/// </para>
/// </summary>
internal sealed record CaseBtf(string[] Funcs, string? FuncInfo = null, uint RecSize = 8, uint TailWord = 0)
{
    /// <summary>The BTF blob and the func_info words (RecSize / 4 per record) for <paramref name="program"/>.</summary>
    public (byte[] Blob, uint[] FuncInfo, uint Count) Build(Instruction[] program)
    {
        var b = new BtfBuilder();
        var types = new Dictionary<string, uint>(StringComparer.Ordinal);
        var funcIds = new Dictionary<string, uint>(StringComparer.Ordinal);
        var funcOrder = new List<uint>();
        foreach (string sig in Funcs)
        {
            (string linkage, string ret, string name, string[] args) = Split(sig);
            uint retId = TypeOf(b, types, ret);
            var pars = new List<(string, uint)>();
            var tags = new List<(string Tag, int Arg)>();
            for (int i = 0; i < args.Length; i++)
            {
                string a = args[i].Trim();
                foreach (string word in a.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    if (word.StartsWith("__arg_", StringComparison.Ordinal))
                        tags.Add(("arg:" + word["__arg_".Length..], i));
                string type = string.Join(' ', a.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Where(w => !w.StartsWith("__arg_", StringComparison.Ordinal)));
                pars.Add(("a" + i.ToString(CultureInfo.InvariantCulture), TypeOf(b, types, type)));
            }
            uint proto = b.FuncProto(retId, [.. pars]);
            int link = linkage switch { "static" => 0, "global" => 1, "extern" => 2, _ => throw new FormatException(sig) };
            uint func = b.Func(name, proto, link);
            foreach (var (tag, arg) in tags)
                b.DeclTag(tag, func, arg);
            funcIds[name] = func;
            funcOrder.Add(func);
        }
        byte[] blob = b.Build();

        var records = new List<(uint Off, uint Type)>();
        if (FuncInfo is null)
        {
            int[] starts = SubprogStarts(program);
            for (int i = 0; i < funcOrder.Count; i++)
                records.Add(((uint)(i < starts.Length ? starts[i] : 0), funcOrder[i]));
        }
        else
        {
            foreach (string pair in FuncInfo.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                string[] parts = pair.Split(':');
                uint off = uint.Parse(parts[0], CultureInfo.InvariantCulture);
                uint type = parts[1].StartsWith('#') ? uint.Parse(parts[1][1..], CultureInfo.InvariantCulture) : funcIds[parts[1]];
                records.Add((off, type));
            }
        }
        int words = (int)(RecSize / 4);
        var info = new uint[records.Count * Math.Max(words, 2)];
        for (int i = 0; i < records.Count; i++)
        {
            int at = i * Math.Max(words, 2);
            info[at] = records[i].Off;
            info[at + 1] = records[i].Type;
            for (int w = 2; w < words; w++)
                info[at + w] = TailWord;
        }
        return (blob, info, (uint)records.Count);
    }

    /// <summary>The subprogram starts the kernel finds (add_subprog_and_kfunc): 0, pseudo-call and callback targets.</summary>
    public static int[] SubprogStarts(Instruction[] program)
    {
        var starts = new SortedSet<int> { 0 };
        for (int i = 0; i < program.Length; i++)
        {
            Instruction insn = program[i];
            bool call = insn.Opcode == (BPF_JMP | BPF_CALL) && insn.Src == BPF_PSEUDO_CALL;
            bool func = insn.IsLdImm64 && insn.Src == BPF_PSEUDO_FUNC;
            if (call || func)
                starts.Add(i + insn.Imm + 1);
        }
        return [.. starts];
    }

    private static (string Linkage, string Ret, string Name, string[] Args) Split(string sig)
    {
        int open = sig.IndexOf('(', StringComparison.Ordinal), close = sig.LastIndexOf(')');
        string[] head = sig[..open].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string name = head[^1];
        string ret = string.Join(' ', head[1..^1]);
        while (name.StartsWith('*'))
        {
            ret += " *";
            name = name[1..];
        }
        string inner = sig[(open + 1)..close].Trim();
        string[] args = inner.Length == 0 || inner == "void" ? [] : inner.Split(',');
        return (head[0], ret, name, args);
    }

    // The id of a type spelled in the signature vocabulary, adding it on first use.
    private static uint TypeOf(BtfBuilder b, Dictionary<string, uint> types, string spelled)
    {
        string t = spelled.Replace("*", " * ", StringComparison.Ordinal).Trim();
        t = string.Join(' ', t.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (t == "void") return 0;
        if (types.TryGetValue(t, out uint id)) return id;
        if (t.EndsWith(" *", StringComparison.Ordinal))
        {
            uint target = TypeOf(b, types, t[..^2]);
            id = b.Ptr(target);
        }
        else
        {
            id = t switch
            {
                "int" => b.Int("int", 4, BtfConstants.IntSigned),
                "u64" => b.Int("unsigned long long", 8),
                "char" => b.Int("char", 1, BtfConstants.IntChar),
                "float" => b.Float("float", 4),
                "enum e" => b.Enum("e", 4, ("E0", 0), ("E1", 1)),
                _ when t.StartsWith("struct ", StringComparison.Ordinal) => b.Struct(t[7..], StructSize(t[7..])),
                _ => throw new FormatException($"unknown type '{spelled}'"),
            };
        }
        types[t] = id;
        return id;
    }

    private static uint StructSize(string name) =>
        name.Length > 1 && name[0] == 's' && uint.TryParse(name[1..], CultureInfo.InvariantCulture, out uint n) ? n : 16;
}
