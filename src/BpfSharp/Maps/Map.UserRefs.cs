namespace BpfSharp.Maps;

// What the bpf() command layer tracks on every map: user references (the kernel's usercnt)
// and user-space writes in progress (bpf_map_write_active).
public abstract partial class Map
{
    private int _userRefs;
    private int _sysWriters;

    /// <summary>Number of fds and pins that refer to the map (the kernel's usercnt; programs do not count).</summary>
    public int UserRefCount => Volatile.Read(ref _userRefs);

    /// <summary>True while a user-space write (update, delete, batch) is in progress (kernel: bpf_map_write_active).</summary>
    public bool IsWriteActive => Volatile.Read(ref _sysWriters) != 0;

    /// <summary>
    /// The last fd or pin referring to the map is gone (kernel: map_release_uref). PROG_ARRAY drops
    /// the programs it holds here, which breaks the cycle of a program tail-calling through a map
    /// that holds the program. Called at most once per time the count drops to zero.
    /// </summary>
    protected virtual void ReleaseUserReferences() { }

    /// <summary>A new fd or pin refers to the map.</summary>
    internal void AcquireUser() => Interlocked.Increment(ref _userRefs);

    /// <summary>An fd or pin referring to the map is gone.</summary>
    internal void ReleaseUser()
    {
        if (Interlocked.Decrement(ref _userRefs) == 0)
            ReleaseUserReferences();
    }

    /// <summary>A user-space write starts (before its frozen check, as the kernel orders it).</summary>
    internal void BeginSysWrite() => Interlocked.Increment(ref _sysWriters);

    /// <summary>A user-space write has finished.</summary>
    internal void EndSysWrite() => Interlocked.Decrement(ref _sysWriters);
}
