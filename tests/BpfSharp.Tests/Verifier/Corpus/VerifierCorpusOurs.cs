using System.Text;
using BpfSharp.Isa;
using BpfSharp.Syscall;
using BpfSharp.Tests.Syscall;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Verifier.Corpus;

/// <summary>Loads a corpus case through our <see cref="BpfSystem"/>, as the kernel half loads it into the kernel.</summary>
internal static unsafe class VerifierCorpusOurs
{
    /// <summary>
    /// The errno (positive, 0 if accepted) and the level-1 log of our load of <paramref name="c"/>; errno -1 when a
    /// map of the case cannot be created here (its map type is not built yet).
    /// </summary>
    public static (int Errno, string Log) Load(VerifierCase c, uint logLevel = 1)
    {
        (int errno, string log) = LoadOnce(c, 1 << 20, logLevel);
        if (errno == 28)
            errno = LoadOnce(c, 0, 0).Errno; // the log overflowed: the verdict is that of a load without a log, as the kernel half records it
        return (errno, log);
    }

    /// <summary>The errno and the log of a single load of <paramref name="c"/> at <paramref name="logLevel"/>.</summary>
    public static (int Errno, string Log) LoadLogged(VerifierCase c, uint logLevel) => LoadOnce(c, 1 << 22, logLevel);

    /// <summary>
    /// For the benchmark: <paramref name="repeats"/> loads of <paramref name="c"/> without a log into one system with
    /// its maps made once; each element of the result is the time of one BPF_PROG_LOAD call (empty when a map of the
    /// case cannot be created here).
    /// </summary>
    public static TimeSpan[] ProgLoadTimes(VerifierCase c, int repeats)
    {
        var times = new TimeSpan[repeats];
        return LoadOnce(c, 0, 0, times).Errno < 0 ? [] : times;
    }

    private static (int Errno, string Log) LoadOnce(VerifierCase c, int logSize, uint logLevel = 1, TimeSpan[]? times = null)
    {
        // maps are created as root; the load uses the case's capabilities. Cases with BTF need the real BTF parser.
        using var t = c.Btf is null ? new OurTarget()
            : new OurTarget(new BpfSystemOptions { Verify = true, PossibleCpus = 2, InstructionBudget = 1 << 20 });
        var fds = new int[c.Maps.Length];
        for (int i = 0; i < fds.Length; i++)
        {
            CaseMap m = c.Maps[i];
            BpfAttr create = Calls.MapCreateAttr(m.Type, m.KeySize, m.ValueSize, m.MaxEntries, m.Flags);
            fds[i] = t.System.Bpf(BpfCommand.MapCreate, ref create, BpfAttr.Size, m.Creator.Capabilities());
            if (fds[i] < 0)
                return (-1, $"map {i} ({m.Type}) could not be created: {fds[i]}"); // a map type not built yet
        }
        Instruction[] insns = c.Instructions();
        int btfFd = 0;
        uint[] funcInfo = [];
        uint funcCount = 0;
        if (c.Btf is { } caseBtf)
        {
            (byte[] blob, funcInfo, funcCount) = caseBtf.Build(insns);
            btfFd = LoadBtf(t, blob);
            if (btfFd < 0)
                return (-1, $"the case's BTF was refused: {btfFd}");
        }
        byte[] logBuffer = new byte[Math.Max(logSize, 1)];
        byte[] license = Encoding.ASCII.GetBytes("GPL\0");
        int rc;
        fixed (Instruction* ip = insns)
        fixed (byte* lp = logBuffer)
        fixed (byte* lic = license)
        fixed (int* fa = fds)
        fixed (uint* fi = funcInfo)
        {
            BpfAttr attr = default;
            attr.ProgLoad.ProgType = (uint)c.ProgType;
            attr.ProgLoad.InsnCnt = (uint)insns.Length;
            attr.ProgLoad.Insns = (ulong)ip;
            attr.ProgLoad.License = (ulong)lic;
            attr.ProgLoad.ProgFlags = c.ProgFlags;
            attr.ProgLoad.ExpectedAttachType = c.ExpectedAttachType;
            attr.ProgLoad.AttachBtfId = c.AttachBtfId();
            attr.ProgLoad.FdArray = fds.Length > 0 ? (ulong)fa : 0;
            if (btfFd > 0)
            {
                attr.ProgLoad.ProgBtfFd = (uint)btfFd;
                if (funcInfo.Length > 0)
                    (attr.ProgLoad.FuncInfo, attr.ProgLoad.FuncInfoRecSize, attr.ProgLoad.FuncInfoCnt) = ((ulong)fi, c.Btf!.RecSize, funcCount);
            }
            if (logSize > 0)
            {
                attr.ProgLoad.LogLevel = logLevel;
                attr.ProgLoad.LogSize = (uint)logBuffer.Length;
                attr.ProgLoad.LogBuf = (ulong)lp;
            }
            rc = t.System.Bpf(BpfCommand.ProgLoad, ref attr, BpfAttr.Size, c.Caps.Capabilities());
            for (int i = 0; times is not null && i < times.Length; i++)
            {
                if (rc >= 0) t.System.Close(rc);
                long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
                rc = t.System.Bpf(BpfCommand.ProgLoad, ref attr, BpfAttr.Size, c.Caps.Capabilities());
                times[i] = System.Diagnostics.Stopwatch.GetElapsedTime(t0);
            }
        }
        int end = Array.IndexOf(logBuffer, (byte)0);
        string log = Encoding.UTF8.GetString(logBuffer, 0, end < 0 ? logBuffer.Length : end);
        if (rc >= 0) t.System.Close(rc);
        return (rc >= 0 ? 0 : -rc, log);
    }

    // BPF_BTF_LOAD into our system: the BTF fd or -errno.
    private static int LoadBtf(OurTarget t, byte[] blob)
    {
        fixed (byte* p = blob)
        {
            BpfAttr attr = default;
            attr.BtfLoad.Btf = (ulong)p;
            attr.BtfLoad.BtfSize = (uint)blob.Length;
            return t.System.Bpf(BpfCommand.BtfLoad, ref attr, BpfAttr.Size);
        }
    }
}
