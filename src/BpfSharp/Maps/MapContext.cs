using BpfSharp.Memory;

namespace BpfSharp.Maps;

/// <summary>
/// What a map needs from the system that owns it: the reclamation domain for element memory,
/// the number of possible CPUs for per-CPU values, and the memory budget it is charged against.
/// </summary>
public sealed class MapContext
{
    private long _charged;

    /// <summary>Creates a context.</summary>
    /// <param name="epochs">Where freed element memory waits for running programs to finish.</param>
    /// <param name="possibleCpus">Per-CPU maps keep one value slot per possible CPU.</param>
    /// <param name="memoryLimit">Bytes all maps together may use; exceeding it is ENOMEM. 0 = unlimited.</param>
    public MapContext(EpochManager epochs, int possibleCpus, long memoryLimit = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(possibleCpus, 1);
        Epochs = epochs;
        PossibleCpus = possibleCpus;
        MemoryLimit = memoryLimit;
    }

    /// <summary>The reclamation domain of the owning system.</summary>
    public EpochManager Epochs { get; }

    /// <summary>Number of per-CPU value slots.</summary>
    public int PossibleCpus { get; }

    /// <summary>The memory limit in bytes; 0 = unlimited.</summary>
    public long MemoryLimit { get; }

    /// <summary>
    /// Turns a file descriptor given as a map value (PROG_ARRAY, ARRAY_OF_MAPS, HASH_OF_MAPS updates
    /// from user space) or as inner_map_fd into the object it refers to, with a reference taken for the
    /// caller; null if the fd is not open (-EBADF). An open file of another kind (stdin) is an object
    /// that is neither a map nor a program (-EINVAL). Set by the owning system.
    /// </summary>
    public Func<int, Memory.BpfObject?>? ResolveFd { get; set; }

    /// <summary>
    /// A program as PROG_ARRAY sees it (kernel: the <c>map->owner</c> fields bpf_prog_map_compatible
    /// compares: program type, JIT state, XDP frags, ...): a value compared with Equals, or null for an
    /// object that can never be a tail-call target (not a program, or BPF_PROG_TYPE_EXT). Set by the
    /// owning system; when unset, every object that is not a map is accepted and all are compatible.
    /// </summary>
    public Func<Memory.BpfObject, object?>? ProgramOwner { get; set; }

    /// <summary>Bytes currently charged by all maps.</summary>
    public long Charged => Volatile.Read(ref _charged);

    /// <summary>Charges <paramref name="bytes"/>; false (nothing charged) if the limit would be exceeded.</summary>
    public bool TryCharge(long bytes)
    {
        long now = Interlocked.Add(ref _charged, bytes);
        if (MemoryLimit > 0 && now > MemoryLimit)
        {
            Interlocked.Add(ref _charged, -bytes);
            return false;
        }
        return true;
    }

    /// <summary>Returns a charge taken with <see cref="TryCharge"/>.</summary>
    public void Uncharge(long bytes) => Interlocked.Add(ref _charged, -bytes);
}
