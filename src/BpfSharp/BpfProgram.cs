using System.Text;
using BpfSharp.Isa;
using BpfSharp.Memory;
using BpfSharp.Syscall;
using BpfSharp.Uapi;

namespace BpfSharp;

/// <summary>
/// A program loaded into a <see cref="BpfSystem"/>, seen through one fd: BPF_PROG_LOAD, BPF_PROG_TEST_RUN
/// and the program's attributes, as the typed API over the same bpf() commands. Errors are thrown as
/// <see cref="BpfException"/>. <see cref="BpfFdObject.Dispose"/> closes the fd; the program lives on while anything
/// else refers to it (a pin, a PROG_ARRAY slot). Attaching to hooks is not part of this type yet.
/// </summary>
public sealed unsafe partial class BpfProgram : BpfFdObject
{
    // The verifier log fetched when a load fails.
    private const int LogSize = 1 << 20;

    private BpfProgram(BpfSystem system, int fd, in BpfProgInfo info)
        : base(system, fd)
    {
        Type = (BpfProgType)info.Type;
        Id = info.Id;
        Name = info.Name.ToString();
        Tag = info.Tag;
    }

    /// <summary>prog_type.</summary>
    public BpfProgType Type { get; }

    /// <summary>The engine running the program: <see cref="Runtime.ExecutionEngine.Jit"/> once it is JIT-compiled.</summary>
    public Runtime.ExecutionEngine Engine => System.ProgramOf(Fd)?.Engine ?? throw new ObjectDisposedException(nameof(BpfProgram));

    /// <summary>
    /// What the engine runs, as text (bpftool's <c>prog dump jited</c>): for a JIT-compiled program the IL of each of
    /// its methods, the eBPF instructions between, and the IL size; for an interpreted one, a line saying so.
    /// </summary>
    public string DumpJited() =>
        System.ProgramOf(Fd)?.JitListing() ?? throw new ObjectDisposedException(nameof(BpfProgram));
    /// <summary>The program id (BPF_PROG_GET_FD_BY_ID opens it again).</summary>
    public uint Id { get; }
    /// <summary>prog_name.</summary>
    public string Name { get; }
    /// <summary>The program tag: the first 8 bytes of the SHA-256 of its instructions (map fds zeroed).</summary>
    public ProgTag Tag { get; }

    /// <summary>
    /// Loads <paramref name="instructions"/> as a program of <paramref name="type"/> (BPF_PROG_LOAD). Maps are
    /// named in <c>lddw</c> instructions by fd (<see cref="Asm.LdMapFd"/> with <see cref="BpfFdObject.Fd"/>).
    /// </summary>
    /// <param name="system">The system to load into.</param>
    /// <param name="type">prog_type.</param>
    /// <param name="instructions">The instructions (8-byte slots; a <c>lddw</c> takes two).</param>
    /// <param name="license">The license; "GPL" and compatible ones allow GPL-only helpers.</param>
    /// <param name="name">prog_name: at most 15 letters, digits, '_' or '.'.</param>
    /// <param name="flags">prog_flags (see <see cref="ProgFlags"/>).</param>
    /// <param name="expectedAttachType">expected_attach_type (a <see cref="BpfAttachType"/> number).</param>
    /// <exception cref="BpfException">The load failed; the message carries the verifier log.</exception>
    /// <exception cref="ArgumentException">The name does not fit in 15 characters.</exception>
    public static BpfProgram Load(BpfSystem system, BpfProgType type, ReadOnlySpan<Instruction> instructions,
        string license = "GPL", string name = "", uint flags = 0, uint expectedAttachType = 0) =>
        Load(system, type, instructions, new BpfProgramOptions
        {
            License = license, Name = name, Flags = flags, ExpectedAttachType = expectedAttachType,
        });

    /// <summary>
    /// Loads <paramref name="instructions"/> as a program of <paramref name="type"/> with <paramref name="options"/>
    /// (BPF_PROG_LOAD); with a log level the accepted program's verifier log is in <see cref="VerifierLog"/>.
    /// </summary>
    /// <exception cref="BpfException">The load failed; the message carries the verifier log.</exception>
    /// <exception cref="ArgumentException">The name does not fit in 15 characters.</exception>
    public static BpfProgram Load(BpfSystem system, BpfProgType type, ReadOnlySpan<Instruction> instructions, BpfProgramOptions options)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.License);
        BpfObjName progName = BpfObjName.From(options.Name ?? "");
        byte[] licenseBytes = Encoding.ASCII.GetBytes(options.License + "\0");
        byte[] log = options.LogLevel == 0 ? [] : new byte[options.LogSize];
        uint[] funcInfo = FuncInfoRecords(options.FuncInfo), lineInfo = LineInfoRecords(options.LineInfo);
        fixed (Instruction* insns = instructions)
        fixed (byte* lic = licenseBytes)
        fixed (byte* logBuf = log)
        fixed (uint* funcs = funcInfo)
        fixed (uint* lines = lineInfo)
        {
            ProgLoadAttr a = default;
            a.ProgType = (uint)type;
            a.InsnCnt = (uint)instructions.Length;
            a.Insns = (ulong)insns;
            a.License = (ulong)lic;
            a.ProgFlags = options.Flags;
            a.ProgName = progName;
            a.ExpectedAttachType = options.ExpectedAttachType;
            a.AttachBtfId = options.AttachBtfId;
            a.KernVersion = options.KernelVersion;
            if (options.Btf is not null)
            {
                a.ProgBtfFd = (uint)options.Btf.Fd;
                (a.FuncInfo, a.FuncInfoRecSize, a.FuncInfoCnt) = funcInfo.Length == 0 ? (0ul, 0u, 0u) : ((ulong)funcs, 8u, (uint)funcInfo.Length / 2);
                (a.LineInfo, a.LineInfoRecSize, a.LineInfoCnt) = lineInfo.Length == 0 ? (0ul, 0u, 0u) : ((ulong)lines, 16u, (uint)lineInfo.Length / 4);
            }
            if (options.LogLevel != 0)
            {
                a.LogLevel = options.LogLevel;
                a.LogSize = (uint)log.Length;
                a.LogBuf = (ulong)logBuf;
            }
            // As libbpf does: without a log level, load without a log, and only when that fails load again for the log.
            int fd = system.Bpf(BpfCommand.ProgLoad, AttrBytes(&a, sizeof(ProgLoadAttr)));
            if (fd < 0)
                throw options.LogLevel == 0 ? LoadFailed(system, a, fd) : BpfException.For(BpfCommand.ProgLoad, fd, LogText(log));
            BpfProgram program = Adopt(system, fd, ownsOnFailure: true);
            program.VerifierLog = LogText(log);
            return program;
        }
    }

    // struct bpf_func_info { insn_off; type_id; } and struct bpf_line_info { insn_off; file_name_off; line_off; line_col; }.
    private static uint[] FuncInfoRecords(IReadOnlyList<Elf.Btf.BtfFuncInfo>? infos)
    {
        if (infos is null) return [];
        var r = new uint[infos.Count * 2];
        for (int i = 0; i < infos.Count; i++) (r[2 * i], r[2 * i + 1]) = ((uint)infos[i].Instruction, infos[i].TypeId);
        return r;
    }

    private static uint[] LineInfoRecords(IReadOnlyList<Elf.Btf.BtfLineInfo>? infos)
    {
        if (infos is null) return [];
        var r = new uint[infos.Count * 4];
        for (int i = 0; i < infos.Count; i++)
        {
            Elf.Btf.BtfLineInfo l = infos[i];
            (r[4 * i], r[4 * i + 1], r[4 * i + 2], r[4 * i + 3]) = ((uint)l.Instruction, l.FileNameOffset, l.LineOffset, l.Line << 10 | l.Column);
        }
        return r;
    }

    /// <summary>The verifier log of the load, if it asked for one (<see cref="BpfProgramOptions.LogLevel"/>); else "".</summary>
    public string VerifierLog { get; private set; } = "";

    private static string LogText(byte[] log)
    {
        int end = Array.IndexOf(log, (byte)0);
        return Encoding.UTF8.GetString(log, 0, end < 0 ? log.Length : end).TrimEnd('\n');
    }

    /// <summary>Takes ownership of program fd <paramref name="fd"/>; on failure the fd stays open and the caller's.</summary>
    /// <exception cref="BpfException">The fd is not open (EBADF) or not a program (EINVAL).</exception>
    public static BpfProgram FromFd(BpfSystem system, int fd) => Adopt(system, fd, ownsOnFailure: false);

    /// <summary>Opens the program pinned at <paramref name="path"/> (BPF_OBJ_GET).</summary>
    /// <exception cref="BpfException">Nothing is pinned there (ENOENT), or it is not a program (EINVAL).</exception>
    public static BpfProgram Open(BpfSystem system, string path) =>
        Adopt(system, BpfMap.ObjGet(system, path, 0), ownsOnFailure: true);

    /// <inheritdoc/>
    public override string ToString() => $"{Type} program {Id} \"{Name}\" tag {Tag}";

    // The failed load again, with a log; the exception carries the first errno and the log's text.
    private static BpfException LoadFailed(BpfSystem system, ProgLoadAttr a, int errno)
    {
        var log = new byte[LogSize];
        fixed (byte* buffer = log)
        {
            a.LogLevel = 1;
            a.LogSize = LogSize;
            a.LogBuf = (ulong)buffer;
            int again = system.Bpf(BpfCommand.ProgLoad, AttrBytes(&a, sizeof(ProgLoadAttr)));
            if (again >= 0) system.Close(again);
        }
        return BpfException.For(BpfCommand.ProgLoad, errno, LogText(log));
    }

    private static BpfProgram Adopt(BpfSystem system, int fd, bool ownsOnFailure)
    {
        ArgumentNullException.ThrowIfNull(system);
        try
        {
            int err = system.GetObject(fd, out BpfObject? obj);
            if (err < 0) throw BpfException.For(BpfCommand.ObjGetInfoByFd, err);
            bool isProgram = obj is LoadedProgram;
            obj?.Release();
            if (!isProgram) throw BpfException.For(BpfCommand.ObjGetInfoByFd, -Errno.EINVAL, $"fd {fd} is not a program");
            BpfProgInfo info = default;
            InfoAttr a = default;
            a.BpfFd = (uint)fd;
            a.InfoLen = (uint)sizeof(BpfProgInfo);
            a.Info = (ulong)&info;
            Check(BpfCommand.ObjGetInfoByFd, system.Bpf(BpfCommand.ObjGetInfoByFd, AttrBytes(&a, sizeof(InfoAttr))));
            return new BpfProgram(system, fd, info);
        }
        catch when (ownsOnFailure)
        {
            system.Close(fd);
            throw;
        }
    }

    private static Span<byte> AttrBytes(void* attr, int size) => new(attr, size);

    private static void Check(BpfCommand cmd, int result)
    {
        if (result < 0) throw BpfException.For(cmd, result);
    }
}
