namespace BpfSharp.Uapi;

/// <summary>Flags of map creation (map_flags) and of element operations (flags), with the kernel's values.</summary>
public static class MapFlags
{
    // Element update flags.
    /// <summary>Create a new element or update an existing one.</summary>
    public const ulong BPF_ANY = 0;
    /// <summary>Create a new element only if it did not exist.</summary>
    public const ulong BPF_NOEXIST = 1;
    /// <summary>Update an existing element only.</summary>
    public const ulong BPF_EXIST = 2;
    /// <summary>Take the value's bpf_spin_lock for the copy (lookup/update from user space).</summary>
    public const ulong BPF_F_LOCK = 4;

    // map_flags of MAP_CREATE.
    /// <summary>Allocate hash elements on demand instead of preallocating max_entries.</summary>
    public const uint BPF_F_NO_PREALLOC = 1u << 0;
    /// <summary>LRU maps: one LRU list per CPU instead of a common one.</summary>
    public const uint BPF_F_NO_COMMON_LRU = 1u << 1;
    /// <summary>numa_node is valid.</summary>
    public const uint BPF_F_NUMA_NODE = 1u << 2;
    /// <summary>User space may only read the map.</summary>
    public const uint BPF_F_RDONLY = 1u << 3;
    /// <summary>User space may only write the map.</summary>
    public const uint BPF_F_WRONLY = 1u << 4;
    /// <summary>Stack trace maps store build ids.</summary>
    public const uint BPF_F_STACK_BUILD_ID = 1u << 5;
    /// <summary>Hash maps use a zero hash seed (deterministic order, for tests).</summary>
    public const uint BPF_F_ZERO_SEED = 1u << 6;
    /// <summary>Programs may only read the map.</summary>
    public const uint BPF_F_RDONLY_PROG = 1u << 7;
    /// <summary>Programs may only write the map.</summary>
    public const uint BPF_F_WRONLY_PROG = 1u << 8;
    /// <summary>Clone socket local storage.</summary>
    public const uint BPF_F_CLONE = 1u << 9;
    /// <summary>Array value memory may be mapped into user space.</summary>
    public const uint BPF_F_MMAPABLE = 1u << 10;
    /// <summary>Perf event arrays keep their elements when the map fd is closed.</summary>
    public const uint BPF_F_PRESERVE_ELEMS = 1u << 11;
    /// <summary>The map is an inner-map template whose max_entries may differ from the inner maps'.</summary>
    public const uint BPF_F_INNER_MAP = 1u << 12;

    /// <summary>Every access flag: BPF_F_RDONLY | BPF_F_WRONLY | BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG.</summary>
    public const uint AccessMask = BPF_F_RDONLY | BPF_F_WRONLY | BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG;
}
