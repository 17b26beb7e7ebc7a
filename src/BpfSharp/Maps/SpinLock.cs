namespace BpfSharp.Maps;

/// <summary>
/// <c>struct bpf_spin_lock</c>: a 4-byte lock word inside a map value, taken by
/// bpf_spin_lock/bpf_spin_unlock in programs and by BPF_F_LOCK copies from user space.
/// </summary>
public static unsafe class SpinLock
{
    /// <summary>Size of <c>struct bpf_spin_lock</c>.</summary>
    public const int Size = 4;

    /// <summary>Takes the lock at <paramref name="word"/>, spinning (the holder never blocks).</summary>
    public static void Lock(uint* word)
    {
        ref int w = ref *(int*)word;
        if (Interlocked.CompareExchange(ref w, 1, 0) == 0) return;
        var spinner = new SpinWait();
        while (Volatile.Read(ref w) != 0 || Interlocked.CompareExchange(ref w, 1, 0) != 0)
            spinner.SpinOnce(sleep1Threshold: -1);
    }

    /// <summary>Releases the lock at <paramref name="word"/>.</summary>
    public static void Unlock(uint* word) => Volatile.Write(ref *(int*)word, 0);
}
