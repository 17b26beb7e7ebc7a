using BpfSharp.Isa;
using BpfSharp.Tests.Kernel;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Verifier.Corpus;

/// <summary>Loads a corpus case into the live kernel: maps first (as root unless a map says otherwise), then the program with the case's capabilities.</summary>
internal static class VerifierCorpusKernel
{
    /// <summary>The effective capabilities a <see cref="CaseCaps.BpfOnly"/> load keeps.</summary>
    private static readonly ulong BpfOnlyCaps = KernelBpf.CapMask(KernelBpf.CapBpf, KernelBpf.CapNetAdmin);

    /// <summary>True when the case can be loaded here: bpf() works, and for unprivileged cases the sysctl allows it.</summary>
    public static bool CanLoad(VerifierCase c, out string why)
    {
        why = "";
        if (!KernelBpf.IsAvailable)
        {
            why = "bpf() unavailable: needs x86-64 Linux as root";
            return false;
        }
        if (c.Caps == CaseCaps.Unprivileged && !KernelBpf.UnprivilegedBpfAllowed)
        {
            why = "kernel.unprivileged_bpf_disabled is not 0: unprivileged loads are refused outright";
            return false;
        }
        return true;
    }

    /// <summary>
    /// The kernel's verdict on <paramref name="c"/> and its log_level 1 log ("" when accepted). The maps are
    /// created by this (root) thread and every fd is closed before returning.
    /// </summary>
    public static CaseVerdict Load(VerifierCase c, out string log) => Load(c, 0, out log);

    /// <summary>
    /// <see cref="Load(VerifierCase, out string)"/> with a single load at <paramref name="logLevel"/> when it is not 0:
    /// the log is then the one of that load, whatever the verdict.
    /// </summary>
    public static CaseVerdict Load(VerifierCase c, uint logLevel, out string log)
    {
        Instruction[] insns = c.Instructions();
        var fds = new List<int>();
        try
        {
            int btfFd = 0;
            uint[]? funcInfo = null;
            uint funcCount = 0;
            if (c.Btf is { } caseBtf)
            {
                (byte[] blob, funcInfo, funcCount) = caseBtf.Build(insns);
                btfFd = KernelBtfOracle.BtfLoad(blob, out string btfLog);
                if (btfFd < 0)
                    throw new InvalidOperationException($"{c.Name}: the kernel refuses the case's BTF ({Errno.Name(btfFd)}): {btfLog}");
                fds.Add(btfFd);
            }
            foreach (var map in c.Maps)
            {
                Func<int> create = () => KernelBpf.MapCreate((uint)map.Type, map.KeySize, map.ValueSize, map.MaxEntries, map.Flags);
                int fd = map.Creator switch
                {
                    CaseCaps.Root => create(),
                    CaseCaps.BpfOnly => KernelBpf.WithEffectiveCaps(BpfOnlyCaps, create),
                    _ => KernelBpf.WithEffectiveCaps(0, create),
                };
                if (fd < 0)
                    throw new InvalidOperationException($"{c.Name}: creating {map} failed with {Errno.Name(fd)}");
                fds.Add(fd);
            }
            int[] mapFds = [.. fds.Where(fd => fd != btfFd)];
            var options = new ProgLoadOptions(FdArray: mapFds, ExpectedAttachType: c.ExpectedAttachType, ProgFlags: c.ProgFlags,
                BtfFd: btfFd, FuncInfo: funcInfo, FuncInfoRecSize: c.Btf?.RecSize ?? 8, FuncInfoCount: funcCount,
                AttachBtfId: c.AttachBtfId());
            if (logLevel != 0)
                options = options with { LogLevel = logLevel };
            (int result, string text) = c.Caps switch
            {
                CaseCaps.Root => LoadOnThisThread(c.ProgType, insns, options, logLevel != 0),
                CaseCaps.BpfOnly => KernelBpf.WithEffectiveCaps(BpfOnlyCaps, () => LoadOnThisThread(c.ProgType, insns, options, logLevel != 0)),
                _ => KernelBpf.WithEffectiveCaps(0, () => LoadOnThisThread(c.ProgType, insns, options, logLevel != 0)),
            };
            log = text;
            if (result >= 0)
            {
                if (logLevel == 0)
                    KernelBpf.Close(result); // a logged load closed its fd already
                return CaseVerdict.Accept;
            }
            return CaseVerdict.Reject(-result, KernelVerifierLog.ErrorLine(text));
        }
        finally
        {
            foreach (int fd in fds) KernelBpf.Close(fd);
        }
    }

    private static (int Result, string Log) LoadOnThisThread(BpfProgType type, Instruction[] insns, ProgLoadOptions options,
        bool logged)
    {
        int result = logged
            ? KernelBpf.ProgLoadLogged((uint)type, insns, options, new byte[1 << 22], out string log)
            : KernelBpf.ProgLoad((uint)type, insns, options, out log);
        return (result, log);
    }
}
