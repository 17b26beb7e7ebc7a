using BpfSharp.Memory;
using static BpfSharp.Runtime.Helpers.BpfFunc;

namespace BpfSharp.Runtime.Helpers;

/// <summary>
/// The probe-read helpers (kernel/trace/bpf_trace.c): copies from memory the program cannot load directly,
/// checked against <see cref="ProbeMemory"/> (and, for kernel reads, what the run may read). A failed copy
/// zero-fills the destination and returns -EFAULT, as the kernel's nofault copies do.
/// </summary>
public sealed unsafe class ProbeHelpers
{
    private readonly ProbeMemory _probe;

    /// <summary>Helpers reading from <paramref name="probe"/>.</summary>
    public ProbeHelpers(ProbeMemory probe) => _probe = probe ?? throw new ArgumentNullException(nameof(probe));

    /// <summary>Registers probe_read, probe_read_str, probe_read_user(_str) and probe_read_kernel(_str) under their kernel ids.</summary>
    public static void Register(HelperRegistry registry, HelperEnvironment env)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(env);
        var helpers = new ProbeHelpers(env.ProbeMemory);
        registry.Register(BPF_FUNC_probe_read, Name(BPF_FUNC_probe_read), helpers.ProbeRead)
            .Register(BPF_FUNC_probe_read_str, Name(BPF_FUNC_probe_read_str), helpers.ProbeReadStr)
            .Register(BPF_FUNC_probe_read_user, Name(BPF_FUNC_probe_read_user), helpers.ProbeReadUser)
            .Register(BPF_FUNC_probe_read_kernel, Name(BPF_FUNC_probe_read_kernel), helpers.ProbeReadKernel)
            .Register(BPF_FUNC_probe_read_user_str, Name(BPF_FUNC_probe_read_user_str), helpers.ProbeReadUserStr)
            .Register(BPF_FUNC_probe_read_kernel_str, Name(BPF_FUNC_probe_read_kernel_str), helpers.ProbeReadKernelStr);
    }

    /// <summary>long bpf_probe_read_kernel(void *dst, u32 size, const void *unsafe_ptr): 0 or -EFAULT (dst zeroed).</summary>
    public ulong ProbeReadKernel(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) => Read(run, ProbeSpace.Kernel, r1, r2, r3);

    /// <summary>long bpf_probe_read_user(void *dst, u32 size, const void *unsafe_ptr): 0 or -EFAULT (dst zeroed).</summary>
    public ulong ProbeReadUser(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) => Read(run, ProbeSpace.User, r1, r2, r3);

    /// <summary>
    /// long bpf_probe_read_kernel_str(void *dst, u32 size, const void *unsafe_ptr): the string with its NUL,
    /// at most size bytes (the last then NUL); returns the bytes copied including the NUL, or -EFAULT (dst zeroed).
    /// </summary>
    public ulong ProbeReadKernelStr(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) => ReadString(run, ProbeSpace.Kernel, r1, r2, r3);

    /// <summary>long bpf_probe_read_user_str(void *dst, u32 size, const void *unsafe_ptr): as <see cref="ProbeReadKernelStr"/> for user memory.</summary>
    public ulong ProbeReadUserStr(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) => ReadString(run, ProbeSpace.User, r1, r2, r3);

    /// <summary>long bpf_probe_read(void *dst, u32 size, const void *unsafe_ptr): the old form, kernel memory first, then user memory.</summary>
    public ulong ProbeRead(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) =>
        Read(run, SpaceOf(run, r3), r1, r2, r3);

    /// <summary>long bpf_probe_read_str(void *dst, u32 size, const void *unsafe_ptr): the old form of the string reads.</summary>
    public ulong ProbeReadStr(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) =>
        ReadString(run, SpaceOf(run, r3), r1, r2, r3);

    private ProbeSpace SpaceOf(RunContext run, ulong address) =>
        NofaultMemory.ReadableLength(run, _probe, ProbeSpace.Kernel, address) == 0 && _probe.ReadableLength(ProbeSpace.User, address) > 0
            ? ProbeSpace.User
            : ProbeSpace.Kernel;

    private ulong Read(RunContext run, ProbeSpace space, ulong destination, ulong size, ulong source)
    {
        uint length = (uint)size;
        run.CheckAccess(destination, length, AccessKind.Store);
        return HelperArgs.Errno(NofaultMemory.Copy(run, _probe, space, (byte*)destination, source, length));
    }

    private ulong ReadString(RunContext run, ProbeSpace space, ulong destination, ulong size, ulong source)
    {
        uint length = (uint)size;
        run.CheckAccess(destination, length, AccessKind.Store);
        int result = NofaultMemory.CopyString(run, _probe, space, (byte*)destination, source, length);
        if (result < 0)
            new Span<byte>((void*)destination, (int)length).Clear();
        return HelperArgs.Errno(result);
    }
}
