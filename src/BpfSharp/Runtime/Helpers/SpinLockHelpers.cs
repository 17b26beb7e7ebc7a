using BpfSharp.Memory;
using static BpfSharp.Runtime.Helpers.BpfFunc;
using static BpfSharp.Runtime.Helpers.HelperArgs;

namespace BpfSharp.Runtime.Helpers;

/// <summary>
/// bpf_spin_lock / bpf_spin_unlock on a <c>struct bpf_spin_lock</c> inside a map value: the same lock word
/// BPF_F_LOCK copies from user space take (<see cref="Maps.SpinLock"/>). Checked mode checks the lock is
/// 4 writable, 4-aligned bytes the run may touch.
/// </summary>
public static unsafe class SpinLockHelpers
{
    /// <summary>Registers bpf_spin_lock and bpf_spin_unlock under their kernel ids.</summary>
    public static void Register(HelperRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Register(BPF_FUNC_spin_lock, Name(BPF_FUNC_spin_lock), BpfSpinLock)
            .Register(BPF_FUNC_spin_unlock, Name(BPF_FUNC_spin_unlock), BpfSpinUnlock);
    }

    /// <summary>long bpf_spin_lock(struct bpf_spin_lock *lock): takes the lock, spinning while another holder has it.</summary>
    public static ulong BpfSpinLock(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        Check(run, r1);
        Maps.SpinLock.Lock((uint*)r1);
        return 0;
    }

    /// <summary>long bpf_spin_unlock(struct bpf_spin_lock *lock): releases the lock.</summary>
    public static ulong BpfSpinUnlock(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        Check(run, r1);
        Maps.SpinLock.Unlock((uint*)r1);
        return 0;
    }

    private static void Check(RunContext run, ulong lockAddress)
    {
        run.CheckAccess(lockAddress, Maps.SpinLock.Size, AccessKind.Atomic);
        CheckAligned(run, lockAddress, Maps.SpinLock.Size);
    }
}
