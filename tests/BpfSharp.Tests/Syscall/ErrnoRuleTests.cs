using BpfSharp.Isa;
using BpfSharp.Syscall;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Syscall;

/// <summary>
/// The errno rules of bpf(2) and of the kernel's syscall.c, one literal case each, run on our
/// system and on the live kernel with the same attr bytes (kernel rows skip where bpf() is not
/// available). Where the kernel and the man page differ the kernel decides: a fd of the wrong kind
/// (a program fd passed as a map fd, stdin) is -EINVAL, only a fd that is not open is -EBADF.
/// </summary>
public unsafe class ErrnoRuleTests
{
    private const int NotOpen = 999;

    internal sealed record Rule(string Name, int Expected, Func<IBpfTarget, int> Run);

    private delegate void AttrEdit(ref BpfAttr attr, ulong scratch);

    private static readonly Instruction[] Ret0 = [Asm.Mov64(R0, 0), Asm.Exit()];

    private static int WithElem(IBpfTarget t, BpfCommand cmd, int fd, bool key = true, bool value = true, ulong flags = 0)
    {
        uint k = 0;
        ulong v = 0;
        BpfAttr attr = default;
        attr.MapElem.MapFd = (uint)fd;
        attr.MapElem.Key = key ? (ulong)&k : 0;
        attr.MapElem.Value = value ? (ulong)&v : 0;
        attr.MapElem.Flags = flags;
        return t.Bpf(cmd, ref attr);
    }

    private static int FrozenArray(IBpfTarget t)
    {
        int fd = t.CreateArray();
        Assert.Equal(0, t.Freeze(fd));
        return fd;
    }

    private static int Hash1(IBpfTarget t)
    {
        int fd = t.CreateHash(maxEntries: 1);
        Assert.Equal(0, t.Update(fd, 1, 10));
        return fd;
    }

    private static int ProgLoadWith(IBpfTarget t, AttrEdit edit)
    {
        byte* scratch = stackalloc byte[256];
        fixed (Instruction* insns = Ret0)
        fixed (byte* license = "GPL\0"u8)
        {
            BpfAttr attr = default;
            attr.ProgLoad.ProgType = (uint)BpfProgType.SocketFilter;
            attr.ProgLoad.InsnCnt = 2;
            attr.ProgLoad.Insns = (ulong)insns;
            attr.ProgLoad.License = (ulong)license;
            edit(ref attr, (ulong)scratch);
            return t.Bpf(BpfCommand.ProgLoad, ref attr);
        }
    }

    internal static readonly Rule[] Rules =
    [
        // EBADF: fd is not an open file descriptor.
        new("EBADF: map_fd not open", -Errno.EBADF, t => WithElem(t, BpfCommand.MapLookupElem, NotOpen)),
        new("EBADF: close of a fd not open", -Errno.EBADF, t => t.Close(NotOpen)),
        new("EBADF: test run of a prog_fd not open", -Errno.EBADF, t => t.TestRun(NotOpen, null, out _)),
        new("EBADF: lddw of a map fd not open", -Errno.EBADF, t => t.Load(Asm.Program(Asm.LdMapFd(R1, NotOpen), Asm.Mov64(R0, 0), Asm.Exit()), out _)),
        new("EBADF: btf_fd not open", -Errno.EBADF, t =>
        {
            BpfAttr a = Calls.MapCreateAttr(BpfMapType.Array, 4, 8, 1);
            a.MapCreate.BtfFd = NotOpen;
            a.MapCreate.BtfValueTypeId = 1;
            return t.Bpf(BpfCommand.MapCreate, ref a);
        }),
        new("EBADFD: info of a fd not open", -Errno.EBADFD, t =>
        {
            BpfAttr a = default;
            a.Info.BpfFd = NotOpen;
            return t.Bpf(BpfCommand.ObjGetInfoByFd, ref a);
        }),

        // EINVAL: wrong kind of fd, unknown command, unused fields, bad attributes.
        new("EINVAL: a program fd passed as map_fd", -Errno.EINVAL, t => WithElem(t, BpfCommand.MapLookupElem, t.Load(Ret0))),
        new("EINVAL: stdin passed as map_fd", -Errno.EINVAL, t => WithElem(t, BpfCommand.MapLookupElem, 0)),
        new("EINVAL: a map fd passed as prog_fd", -Errno.EINVAL, t => t.TestRun(t.CreateArray(), null, out _)),
        new("EINVAL: unknown command", -Errno.EINVAL, t =>
        {
            BpfAttr a = default;
            return t.Bpf((BpfCommand)200, ref a);
        }),
        new("EINVAL: non-zero byte after the command's last field", -Errno.EINVAL, t =>
        {
            BpfAttr a = default;
            a.MapElem.MapFd = (uint)t.CreateArray();
            a.Batch.Count = 1; // offset 32: past MAP_LOOKUP_ELEM's flags
            return t.Bpf(BpfCommand.MapLookupElem, ref a);
        }),
        new("EINVAL: delete with a value (past key, DELETE_ELEM's last field)", -Errno.EINVAL, t => WithElem(t, BpfCommand.MapDeleteElem, t.CreateHash())),
        new("EINVAL: lookup flags other than BPF_F_LOCK", -Errno.EINVAL, t => WithElem(t, BpfCommand.MapLookupElem, t.CreateArray(), flags: 1)),
        new("EINVAL: BPF_F_LOCK on a value without a spin lock", -Errno.EINVAL, t => WithElem(t, BpfCommand.MapLookupElem, t.CreateArray(), flags: MapFlags.BPF_F_LOCK)),
        new("EINVAL: update flags above BPF_EXIST", -Errno.EINVAL, t => WithElem(t, BpfCommand.MapUpdateElem, t.CreateArray(), flags: 8)),
        new("EINVAL: delete from an array", -Errno.EINVAL, t => WithElem(t, BpfCommand.MapDeleteElem, t.CreateArray(), value: false)),
        new("EINVAL: map name with a '-'", -Errno.EINVAL, t => t.CreateMap(BpfMapType.Array, 4, 8, 1, name: "a-b")),
        new("EINVAL: map name without NUL in 16 bytes", -Errno.EINVAL, t =>
        {
            BpfAttr a = Calls.MapCreateAttr(BpfMapType.Array, 4, 8, 1);
            for (int i = 0; i < BpfObjName.Length; i++) a.MapCreate.MapName[i] = (byte)'x';
            return t.Bpf(BpfCommand.MapCreate, ref a);
        }),
        new("EINVAL: BPF_F_RDONLY together with BPF_F_WRONLY", -Errno.EINVAL, t => t.CreateArray(flags: MapFlags.BPF_F_RDONLY | MapFlags.BPF_F_WRONLY)),
        new("EINVAL: map_extra on an array", -Errno.EINVAL, t =>
        {
            BpfAttr a = Calls.MapCreateAttr(BpfMapType.Array, 4, 8, 1);
            a.MapCreate.MapExtra = 1;
            return t.Bpf(BpfCommand.MapCreate, ref a);
        }),
        new("EINVAL: btf_key_type_id without btf_value_type_id", -Errno.EINVAL, t =>
        {
            BpfAttr a = Calls.MapCreateAttr(BpfMapType.Array, 4, 8, 1);
            a.MapCreate.BtfKeyTypeId = 1;
            return t.Bpf(BpfCommand.MapCreate, ref a);
        }),
        new("EINVAL: map type 0", -Errno.EINVAL, t => t.CreateMap(BpfMapType.Unspec, 4, 8, 1)),
        new("EINVAL: prog type 0", -Errno.EINVAL, t => t.Load(Ret0, out _, type: BpfProgType.Unspec)),
        new("EINVAL: unknown prog_flags bit", -Errno.EINVAL, t => t.Load(Ret0, out _, flags: 1u << 8)),
        new("EINVAL: BPF_F_SLEEPABLE on a socket filter", -Errno.EINVAL, t => t.Load(Ret0, out _, flags: ProgFlags.BPF_F_SLEEPABLE)),
        new("EINVAL: program name with a '-'", -Errno.EINVAL, t => t.Load(Ret0, out _, name: "bad-name")),
        new("EINVAL: log buffer without log level", -Errno.EINVAL, t => ProgLoadWith(t, (ref BpfAttr a, ulong log) =>
        {
            a.ProgLoad.LogBuf = log;
            a.ProgLoad.LogSize = 256;
        })),
        new("EINVAL: cgroup_skb with a socket attach type", -Errno.EINVAL, t => ProgLoadWith(t, (ref BpfAttr a, ulong _) =>
        {
            a.ProgLoad.ProgType = (uint)BpfProgType.CgroupSkb;
            a.ProgLoad.ExpectedAttachType = (uint)BpfAttachType.CgroupInetSockCreate;
        })),
        new("EINVAL: GET_NEXT_ID from INT_MAX", -Errno.EINVAL, t =>
        {
            BpfAttr a = default;
            a.GetId.StartId = int.MaxValue;
            return t.Bpf(BpfCommand.MapGetNextId, ref a);
        }),
        new("EINVAL: PROG_GET_FD_BY_ID with open_flags", -Errno.EINVAL, t =>
        {
            BpfAttr a = default;
            a.GetId.OpenFlags = ProgFlags.BPF_F_RDONLY;
            return t.Bpf(BpfCommand.ProgGetFdById, ref a);
        }),
        new("EINVAL: test run with ctx_size_in but no ctx_in", -Errno.EINVAL, t =>
        {
            BpfAttr a = default;
            a.TestRun.ProgFd = (uint)t.Load(Ret0);
            a.TestRun.CtxSizeIn = 8;
            return t.Bpf(BpfCommand.ProgTestRun, ref a);
        }),
        new("EINVAL: test run with cpu but no BPF_F_TEST_RUN_ON_CPU", -Errno.EINVAL, t =>
        {
            BpfAttr a = default;
            a.TestRun.ProgFd = (uint)t.Load(Ret0);
            a.TestRun.Cpu = 1;
            return t.Bpf(BpfCommand.ProgTestRun, ref a);
        }),
        new("EINVAL: pin with file_flags", -Errno.EINVAL, t =>
        {
            BpfAttr a = default;
            a.Obj.BpfFd = (uint)t.CreateArray();
            a.Obj.FileFlags = ProgFlags.BPF_F_RDONLY;
            return t.Bpf(BpfCommand.ObjPin, ref a);
        }),
        new("EINVAL: pin of a fd not open", -Errno.EINVAL, t => t.Pin(NotOpen, "/sys/fs/bpf/never")),
        new("EINVAL: info of stdin", -Errno.EINVAL, t =>
        {
            BpfAttr a = default;
            return t.Bpf(BpfCommand.ObjGetInfoByFd, ref a);
        }),

        // E2BIG: too long an attr, too many instructions, a full map.
        new("E2BIG: attr longer than ours with a non-zero tail", -Errno.E2BIG, t =>
        {
            byte[] bytes = new byte[4096];
            bytes[200] = 1;
            return t.Bpf(BpfCommand.MapLookupElem, bytes);
        }),
        new("E2BIG: attr longer than a page", -Errno.E2BIG, t => t.Bpf(BpfCommand.MapLookupElem, new byte[4097])),
        new("E2BIG: insn_cnt 0", -Errno.E2BIG, t => ProgLoadWith(t, (ref BpfAttr a, ulong _) => a.ProgLoad.InsnCnt = 0)),
        new("E2BIG: insn_cnt above 1,000,000", -Errno.E2BIG, t => ProgLoadWith(t, (ref BpfAttr a, ulong _) => a.ProgLoad.InsnCnt = 1_000_001)),
        new("E2BIG: array update past max_entries", -Errno.E2BIG, t => t.Update(t.CreateArray(maxEntries: 4), 4, 1)),
        new("E2BIG: update of a full hash", -Errno.E2BIG, t => t.Update(Hash1(t), 2, 20)),

        // EFAULT: a pointer the command needs is null.
        new("EFAULT: null key", -Errno.EFAULT, t => WithElem(t, BpfCommand.MapLookupElem, t.CreateArray(), key: false)),
        new("EFAULT: null value on update", -Errno.EFAULT, t => WithElem(t, BpfCommand.MapUpdateElem, t.CreateArray(), value: false)),
        new("EFAULT: null value on a lookup that finds the key", -Errno.EFAULT, t => WithElem(t, BpfCommand.MapLookupElem, t.CreateArray(), value: false)),
        new("EFAULT: short attr (size 8) leaves key null", -Errno.EFAULT, t =>
        {
            BpfAttr a = default;
            a.MapElem.MapFd = (uint)t.CreateArray();
            a.MapElem.Key = 0x1000; // beyond the size passed: must read as 0
            return t.Bpf(BpfCommand.MapLookupElem, ref a, 8);
        }),
        new("EFAULT: null license", -Errno.EFAULT, t => ProgLoadWith(t, (ref BpfAttr a, ulong _) => a.ProgLoad.License = 0)),
        new("EFAULT: null insns", -Errno.EFAULT, t => ProgLoadWith(t, (ref BpfAttr a, ulong _) => a.ProgLoad.Insns = 0)),
        new("EFAULT: null pathname", -Errno.EFAULT, t =>
        {
            BpfAttr a = default;
            a.Obj.BpfFd = (uint)t.CreateArray();
            return t.Bpf(BpfCommand.ObjPin, ref a);
        }),
        new("EFAULT: BTF_LOAD of a null blob", -Errno.EFAULT, t =>
        {
            BpfAttr a = default;
            a.BtfLoad.BtfSize = 10;
            return t.Bpf(BpfCommand.BtfLoad, ref a);
        }),
        new("EFAULT: info with a null buffer", -Errno.EFAULT, t =>
        {
            BpfAttr a = default;
            a.Info.BpfFd = (uint)t.CreateArray();
            a.Info.InfoLen = 16;
            return t.Bpf(BpfCommand.ObjGetInfoByFd, ref a);
        }),

        // EPERM: writes to a frozen or read-only map, reads of a write-only one.
        new("EPERM: update of a frozen map", -Errno.EPERM, t => t.Update(FrozenArray(t), 0, 1)),
        new("EPERM: delete from a frozen map", -Errno.EPERM, t => t.Delete(FrozenArray(t), 0)),
        new("EPERM: freeze of a frozen map", -Errno.EPERM, t => t.Freeze(FrozenArray(t))),
        new("EPERM: update of a BPF_F_RDONLY map", -Errno.EPERM, t => t.Update(t.CreateArray(flags: MapFlags.BPF_F_RDONLY), 0, 1)),
        new("EPERM: freeze of a BPF_F_RDONLY map", -Errno.EPERM, t => t.Freeze(t.CreateArray(flags: MapFlags.BPF_F_RDONLY))),
        new("EPERM: lookup of a BPF_F_WRONLY map", -Errno.EPERM, t => t.Lookup(t.CreateArray(flags: MapFlags.BPF_F_WRONLY), 0, out _)),
        new("EPERM: get_next_key of a BPF_F_WRONLY map", -Errno.EPERM, t => t.NextKey(t.CreateArray(flags: MapFlags.BPF_F_WRONLY), null, out _)),
        new("EPERM: update through a fd opened BPF_F_RDONLY by id", -Errno.EPERM, t =>
        {
            Assert.Equal(0, t.MapInfo(t.CreateArray(), out BpfMapInfo info));
            BpfAttr a = default;
            a.GetId.MapId = info.Id;
            a.GetId.OpenFlags = ProgFlags.BPF_F_RDONLY;
            return t.Update(t.Bpf(BpfCommand.MapGetFdById, ref a), 0, 1);
        }),

        // ENOENT: missing keys and ids.
        new("ENOENT: lookup of an index past the end", -Errno.ENOENT, t => t.Lookup(t.CreateArray(), 4, out _)),
        new("ENOENT: lookup of a missing key", -Errno.ENOENT, t => t.Lookup(t.CreateHash(), 7, out _)),
        new("ENOENT: delete of a missing key", -Errno.ENOENT, t => t.Delete(t.CreateHash(), 7)),
        new("ENOENT: BPF_EXIST on a missing key", -Errno.ENOENT, t => t.Update(t.CreateHash(), 7, 1, MapFlags.BPF_EXIST)),
        new("ENOENT: get_next_key after the last key", -Errno.ENOENT, t => t.NextKey(t.CreateArray(maxEntries: 4), 3, out _)),
        new("ENOENT: get_next_key of an empty hash", -Errno.ENOENT, t => t.NextKey(t.CreateHash(), null, out _)),
        new("ENOENT: MAP_GET_FD_BY_ID of an unused id", -Errno.ENOENT, t =>
        {
            BpfAttr a = default;
            a.GetId.MapId = 0x7fff_fff0;
            return t.Bpf(BpfCommand.MapGetFdById, ref a);
        }),
        new("ENOENT: MAP_GET_FD_BY_ID of id 0", -Errno.ENOENT, t =>
        {
            BpfAttr a = default;
            return t.Bpf(BpfCommand.MapGetFdById, ref a);
        }),

        new("ENOENT: lookup of a missing key with a null value (the copy out comes last)", -Errno.ENOENT,
            t => WithElem(t, BpfCommand.MapLookupElem, t.CreateHash(), value: false)),

        // EEXIST, ENOTSUPP, EPROTO.
        new("EEXIST: BPF_NOEXIST on an existing key", -Errno.EEXIST, t => t.Update(Hash1(t), 1, 11, MapFlags.BPF_NOEXIST)),
        new("EEXIST: BPF_NOEXIST on an array", -Errno.EEXIST, t => t.Update(t.CreateArray(), 0, 1, MapFlags.BPF_NOEXIST)),
        new("ENOTSUPP: MAP_DELETE_BATCH on an array", -Errno.ENOTSUPP, t =>
        {
            BpfAttr a = default;
            a.Batch.MapFd = (uint)t.CreateArray();
            return t.Bpf(BpfCommand.MapDeleteBatch, ref a);
        }),
        new("ENOTSUPP: lookup_and_delete on an array", -Errno.ENOTSUPP, t => WithElem(t, BpfCommand.MapLookupAndDeleteElem, t.CreateArray())),
        new("EINVAL: lookup_and_delete with BPF_F_LOCK and no spin lock", -Errno.EINVAL,
            t => WithElem(t, BpfCommand.MapLookupAndDeleteElem, Hash1(t), flags: MapFlags.BPF_F_LOCK)),
        new("EPERM: lookup_and_delete on a frozen map", -Errno.EPERM, t =>
        {
            int fd = Hash1(t);
            Assert.Equal(0, t.Freeze(fd));
            return WithElem(t, BpfCommand.MapLookupAndDeleteElem, fd);
        }),
        new("EPROTO: a map index without fd_array", -Errno.EPROTO, t =>
            t.Load(Asm.Program(Asm.LdMapIdx(R1, 0), Asm.Mov64(R0, 0), Asm.Exit()), out _)),
        new("ENOTSUPP: direct value of an array with 4 entries", -Errno.ENOTSUPP, t =>
            t.Load(Asm.Program(Asm.LdMapValue(R1, t.CreateArray(maxEntries: 4), 0), Asm.Mov64(R0, 0), Asm.Exit()), out _)),

        // Success where an attr is short or empty: the missing bytes read as zero.
        new("size 0: map_fd 0 is stdin, not a map", -Errno.EINVAL, t => t.Bpf(BpfCommand.MapLookupElem, Span<byte>.Empty)),
        new("longer attr with a zero tail is accepted", 0, t =>
        {
            BpfAttr a = default;
            int fd = t.CreateArray();
            uint key = 0;
            ulong value = 0;
            a.MapElem.MapFd = (uint)fd;
            a.MapElem.Key = (ulong)&key;
            a.MapElem.Value = (ulong)&value;
            return t.Bpf(BpfCommand.MapLookupElem, Calls.Bytes(a, 4096));
        }),
    ];

    private static readonly Dictionary<string, Rule> ByName = Rules.ToDictionary(r => r.Name);

    public static TheoryData<string, string> Rows()
    {
        var rows = new TheoryData<string, string>();
        foreach (string target in Targets.Names)
            foreach (Rule rule in Rules)
                rows.Add(target, rule.Name);
        return rows;
    }

    [SkippableTheory]
    [MemberData(nameof(Rows))]
    public void Errno_rule_holds(string target, string rule)
    {
        using IBpfTarget t = Targets.Create(target);
        Assert.Equal(ByName[rule].Expected, ByName[rule].Run(t));
    }
}
