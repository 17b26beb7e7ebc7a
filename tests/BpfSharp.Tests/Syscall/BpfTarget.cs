using System.Runtime.InteropServices;
using BpfSharp.Maps;
using BpfSharp.Syscall;
using BpfSharp.Tests.Kernel;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Syscall;

/// <summary>Something that answers bpf() commands: our <see cref="BpfSystem"/> or the live kernel.</summary>
internal interface IBpfTarget : IDisposable
{
    /// <summary>"ours" or "kernel".</summary>
    string Name { get; }

    /// <summary>bpf(cmd, attr, size): a fd, 0, or -errno.</summary>
    int Bpf(BpfCommand cmd, ref BpfAttr attr, uint size = BpfAttr.Size);

    /// <summary>bpf(cmd, bytes, length).</summary>
    int Bpf(BpfCommand cmd, Span<byte> attr);

    /// <summary>close(fd).</summary>
    int Close(int fd);
}

/// <summary>Our system, with the fake BTF parser.</summary>
internal sealed class OurTarget : IBpfTarget
{
    public OurTarget(BpfSystemOptions? options = null) => System = new BpfSystem(options ?? Options());

    public BpfSystem System { get; }
    public string Name => "ours";

    /// <summary>Options with the fake BTF parser.</summary>
    public static BpfSystemOptions Options(int cpus = 2, long memoryLimit = 0, BpfSharp.Runtime.HelperRegistry? helpers = null,
        long budget = 1 << 20, bool verify = true) => new()
    {
        Verify = verify,
        PossibleCpus = cpus,
        MemoryLimit = memoryLimit,
        Helpers = helpers,
        InstructionBudget = budget,
        ParseBtf = FakeBtf.Parse,
    };

    public int Bpf(BpfCommand cmd, ref BpfAttr attr, uint size = BpfAttr.Size) => System.Bpf(cmd, ref attr, size);
    public int Bpf(BpfCommand cmd, Span<byte> attr) => System.Bpf(cmd, attr);
    public int Close(int fd) => System.Close(fd);
    public void Dispose() => System.Dispose();
}

/// <summary>The live kernel through the raw syscall; closes the fds it handed out when disposed.</summary>
internal sealed unsafe class KernelTarget : IBpfTarget
{
    private readonly List<int> _fds = [];

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int CloseFd(int fd);

    public string Name => "kernel";

    /// <summary>True when the kernel oracle can be used.</summary>
    public static bool IsAvailable => KernelBpf.IsAvailable;

    public int Bpf(BpfCommand cmd, ref BpfAttr attr, uint size = BpfAttr.Size)
    {
        fixed (BpfAttr* p = &attr)
            return Raw(cmd, p, size);
    }

    public int Bpf(BpfCommand cmd, Span<byte> attr)
    {
        fixed (byte* p = attr)
            return Raw(cmd, p, (uint)attr.Length);
    }

    private int Raw(BpfCommand cmd, void* attr, uint size)
    {
        int rc = KernelBpf.Bpf((int)cmd, attr, (int)size);
        if (rc >= 0 && ReturnsFd(cmd)) _fds.Add(rc);
        return rc;
    }

    private static bool ReturnsFd(BpfCommand cmd) => cmd is BpfCommand.MapCreate or BpfCommand.ProgLoad or BpfCommand.ObjGet
        or BpfCommand.MapGetFdById or BpfCommand.ProgGetFdById or BpfCommand.BtfGetFdById or BpfCommand.BtfLoad;

    public int Close(int fd)
    {
        _fds.Remove(fd);
        return CloseFd(fd) < 0 ? -Marshal.GetLastPInvokeError() : 0;
    }

    public void Dispose()
    {
        foreach (int fd in _fds) CloseFd(fd);
        _fds.Clear();
    }
}

/// <summary>Makes targets by name for table tests (kernel rows skip where bpf() is unavailable).</summary>
internal static class Targets
{
    public const string NoKernel = "bpf() is not available here (needs Linux x86-64 and root or CAP_BPF)";

    public static readonly string[] Names = ["ours", "kernel"];

    public static IBpfTarget Create(string name)
    {
        if (name == "ours") return new OurTarget();
        Skip.IfNot(KernelTarget.IsAvailable, NoKernel);
        return new KernelTarget();
    }
}
