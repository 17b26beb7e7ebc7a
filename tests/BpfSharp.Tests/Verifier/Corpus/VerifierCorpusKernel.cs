using BpfSharp.Isa;
using BpfSharp.Tests.Kernel;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Verifier.Corpus;

/// <summary>Loads a corpus case into the live kernel: maps first (as root), then the program with the case's capabilities.</summary>
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
    public static CaseVerdict Load(VerifierCase c, out string log) => Load(c, out log, 0);

    /// <summary>
    /// As <see cref="Load(VerifierCase, out string)"/>, but with <paramref name="logLevel"/> above 0 the program is
    /// loaded once with a log at that level (1 MiB), whatever the verdict, and <paramref name="log"/> is all of it.
    /// </summary>
    public static CaseVerdict Load(VerifierCase c, out string log, uint logLevel)
    {
        Instruction[] insns = c.Instructions();
        var fds = new List<int>();
        try
        {
            foreach (var map in c.Maps)
            {
                int fd = KernelBpf.MapCreate((uint)map.Type, map.KeySize, map.ValueSize, map.MaxEntries, map.Flags);
                if (fd < 0)
                    throw new InvalidOperationException($"{c.Name}: creating {map} failed with {Errno.Name(fd)}");
                fds.Add(fd);
            }
            var options = new ProgLoadOptions(FdArray: [.. fds], ExpectedAttachType: c.ExpectedAttachType, ProgFlags: c.ProgFlags,
                LogLevel: Math.Max(logLevel, 1));
            (int result, string text) = c.Caps switch
            {
                CaseCaps.Root => LoadOnThisThread(c.ProgType, insns, options, logLevel > 0),
                CaseCaps.BpfOnly => KernelBpf.WithEffectiveCaps(BpfOnlyCaps, () => LoadOnThisThread(c.ProgType, insns, options, logLevel > 0)),
                _ => KernelBpf.WithEffectiveCaps(0, () => LoadOnThisThread(c.ProgType, insns, options, logLevel > 0)),
            };
            log = text;
            if (result >= 0)
            {
                KernelBpf.Close(result);
                return CaseVerdict.Accept;
            }
            return CaseVerdict.Reject(-result, KernelVerifierLog.ErrorLine(text));
        }
        finally
        {
            foreach (int fd in fds) KernelBpf.Close(fd);
        }
    }

    private static (int Result, string Log) LoadOnThisThread(BpfProgType type, Instruction[] insns, ProgLoadOptions options, bool logged)
    {
        string log;
        int result = logged
            ? KernelBpf.ProgLoadLogged((uint)type, insns, options, new byte[1 << 20], out log)
            : KernelBpf.ProgLoad((uint)type, insns, options, out log);
        return (result, log);
    }
}
