using BpfSharp.Memory;
using static BpfSharp.Runtime.Helpers.BpfFunc;
using static BpfSharp.Runtime.Helpers.HelperArgs;

namespace BpfSharp.Runtime.Helpers;

/// <summary>
/// bpf_spin_lock / bpf_spin_unlock on a <c>struct bpf_spin_lock</c> inside a map value: the same lock word
/// BPF_F_LOCK copies from user space take (<see cref="Maps.SpinLock"/>). Checked mode checks the lock is
/// 4 writable, 4-aligned bytes the run may touch, and what the verifier proves for verified programs: one
/// lock held at a time, only the held lock released, none held at exit (a faulting run releases it).
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
        if (run.IsChecked && run.HeldSpinLock != 0)
            throw new BpfRuntimeException(FaultKind.SpinLockHeld, run.CallerInstruction,
                $"helper call: bpf_spin_lock while holding the lock at 0x{run.HeldSpinLock:x} (one lock at a time)", r1);
        Maps.SpinLock.Lock((uint*)r1);
        if (run.IsChecked)
        {
            run.HeldSpinLock = r1;
            run.HeldSpinLockPc = run.CallerInstruction;
        }
        return 0;
    }

    /// <summary>long bpf_spin_unlock(struct bpf_spin_lock *lock): releases the lock.</summary>
    public static ulong BpfSpinUnlock(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        Check(run, r1);
        if (run.IsChecked)
        {
            if (run.HeldSpinLock != r1)
                throw new BpfRuntimeException(FaultKind.SpinLockHeld, run.CallerInstruction,
                    $"helper call: bpf_spin_unlock of 0x{r1:x}, a lock the program does not hold", r1);
            run.HeldSpinLock = 0;
        }
        Maps.SpinLock.Unlock((uint*)r1);
        return 0;
    }

    private static void Check(RunContext run, ulong lockAddress)
    {
        run.CheckAccess(lockAddress, Maps.SpinLock.Size, AccessKind.Atomic);
        CheckAligned(run, lockAddress, Maps.SpinLock.Size);
    }
}
