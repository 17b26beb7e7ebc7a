using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace BpfSharp.Tests.Kernel;

/// <summary>
/// Loading with fewer capabilities: Linux keeps capabilities per thread, so a call runs on a fresh thread
/// that first lowers its effective set with the raw capset syscall (x86-64 nr 126, capability header version 3,
/// two 32-bit words). Only that thread is affected, and it ends with the call.
/// </summary>
internal static unsafe partial class KernelBpf
{
    /// <summary>CAP_NET_ADMIN: networking program types (with CAP_BPF).</summary>
    public const int CapNetAdmin = 12;
    /// <summary>CAP_SYS_ADMIN: everything bpf() offers.</summary>
    public const int CapSysAdmin = 21;
    /// <summary>CAP_PERFMON: tracing program types, pointer leaks, speculation bypasses.</summary>
    public const int CapPerfmon = 38;
    /// <summary>CAP_BPF: program loads and maps without CAP_SYS_ADMIN.</summary>
    public const int CapBpf = 39;

    private const long SysCapget = 125; // __NR_capget on x86-64
    private const long SysCapset = 126; // __NR_capset on x86-64
    private const uint LinuxCapabilityVersion3 = 0x20080522; // _LINUX_CAPABILITY_VERSION_3

    // Two struct __user_cap_data_struct {effective, permitted, inheritable}: capabilities 0-31, then 32-63.
    private const int CapDataWords = 6;
    private const int Effective0 = 0;
    private const int Effective1 = 3;

    private const string UnprivilegedBpfDisabled = "/proc/sys/kernel/unprivileged_bpf_disabled";

    [DllImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static extern long CapSyscall(long number, CapHeader* header, uint* data);

    /// <summary>True when kernel.unprivileged_bpf_disabled is 0, so a caller without CAP_BPF may use bpf() at all.</summary>
    public static bool UnprivilegedBpfAllowed =>
        File.Exists(UnprivilegedBpfDisabled) && File.ReadAllText(UnprivilegedBpfDisabled).Trim() == "0";

    /// <summary>The mask of capability numbers <paramref name="caps"/> (bit N = capability N).</summary>
    public static ulong CapMask(params int[] caps)
    {
        ulong mask = 0;
        foreach (int cap in caps) mask |= 1UL << cap;
        return mask;
    }

    /// <summary>
    /// Runs <paramref name="action"/> on a new thread whose effective capabilities are those of this process
    /// intersected with <paramref name="keep"/> (bit N = capability N); its permitted set is unchanged, and the
    /// thread ends when the action returns. An exception of the action is rethrown here.
    /// </summary>
    public static T WithEffectiveCaps<T>(ulong keep, Func<T> action)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                LowerEffectiveCaps(keep);
                result = action();
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        });
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    /// <summary>The calling thread's effective capability set (bit N = capability N).</summary>
    public static ulong EffectiveCaps()
    {
        CapHeader header = new() { Version = LinuxCapabilityVersion3, Pid = 0 };
        uint* data = stackalloc uint[CapDataWords];
        if (CapSyscall(SysCapget, &header, data) != 0)
            throw new InvalidOperationException($"capget failed: errno {Marshal.GetLastPInvokeError()}");
        return data[Effective0] | ((ulong)data[Effective1] << 32);
    }

    private static void LowerEffectiveCaps(ulong keep)
    {
        CapHeader header = new() { Version = LinuxCapabilityVersion3, Pid = 0 };
        uint* data = stackalloc uint[CapDataWords];
        if (CapSyscall(SysCapget, &header, data) != 0)
            throw new InvalidOperationException($"capget failed: errno {Marshal.GetLastPInvokeError()}");
        data[Effective0] &= (uint)keep;
        data[Effective1] &= (uint)(keep >> 32);
        ulong wanted = data[Effective0] | ((ulong)data[Effective1] << 32);
        header = new CapHeader { Version = LinuxCapabilityVersion3, Pid = 0 };
        if (CapSyscall(SysCapset, &header, data) != 0)
            throw new InvalidOperationException($"capset failed: errno {Marshal.GetLastPInvokeError()}");
        if (EffectiveCaps() != wanted)
            throw new InvalidOperationException("capset did not lower the effective set");
    }

    /// <summary>struct __user_cap_header_struct.</summary>
    private struct CapHeader
    {
        public uint Version;
        public int Pid;
    }
}
