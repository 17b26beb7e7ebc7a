using System.Diagnostics.CodeAnalysis;
using BpfSharp.Maps;
using BpfSharp.Memory;
using BpfSharp.Syscall;
using BpfSharp.Uapi;

namespace BpfSharp;

/// <summary>
/// A map of a <see cref="BpfSystem"/>, seen through one fd: the typed API over the same bpf()
/// commands (<see cref="BpfSystem.Bpf(BpfCommand, Span{byte})"/>) that any caller can issue, with
/// byte-level element operations. Errors are thrown as <see cref="BpfException"/> carrying the errno;
/// "no such key" is a false result. <see cref="BpfFdObject.Dispose"/> closes the fd; the map itself lives on as
/// long as anything else refers to it (another fd, a pin, a program that uses it).
/// </summary>
/// <remarks>
/// Safe for concurrent use by any number of threads, as the commands are. Attributes (type, sizes,
/// id, ...) are read once with BPF_OBJ_GET_INFO_BY_FD when the object is made. Per-CPU maps read and
/// write one <see cref="PerCpuSlotSize"/>-byte slot per possible CPU (<see cref="UserValueSize"/>).
/// See <see cref="BpfMap{TKey, TValue}"/> for the typed view.
/// </remarks>
public unsafe partial class BpfMap : BpfFdObject
{

    /// <summary>Wraps <paramref name="fd"/>, whose attributes are <paramref name="info"/>; the object owns the fd.</summary>
    private protected BpfMap(BpfSystem system, int fd, in BpfMapInfo info)
        : base(system, fd)
    {
        Type = (BpfMapType)info.Type;
        Id = info.Id;
        KeySize = info.KeySize;
        ValueSize = info.ValueSize;
        MaxEntries = info.MaxEntries;
        Flags = info.MapFlags;
        Name = info.Name.ToString();
        IsPerCpu = Type is BpfMapType.PercpuHash or BpfMapType.PercpuArray or BpfMapType.LruPercpuHash
            or BpfMapType.PercpuCgroupStorage;
        PossibleCpus = system.PossibleCpus;
    }

    /// <summary>map_type.</summary>
    public BpfMapType Type { get; }
    /// <summary>The map id (BPF_MAP_GET_FD_BY_ID opens it again).</summary>
    public uint Id { get; }
    /// <summary>key_size in bytes.</summary>
    public uint KeySize { get; }
    /// <summary>value_size in bytes (one CPU's value for per-CPU maps).</summary>
    public uint ValueSize { get; }
    /// <summary>max_entries.</summary>
    public uint MaxEntries { get; }
    /// <summary>map_flags as BPF_OBJ_GET_INFO_BY_FD reports them (without BPF_F_RDONLY / BPF_F_WRONLY, which belong to fds).</summary>
    public uint Flags { get; }
    /// <summary>map_name.</summary>
    public string Name { get; }

    /// <summary>True for per-CPU maps: user space reads and writes one value slot per possible CPU.</summary>
    public bool IsPerCpu { get; }

    /// <summary>Possible CPUs of the system: the number of slots of a per-CPU value.</summary>
    public int PossibleCpus { get; }

    /// <summary><c>round_up(value_size, 8)</c>: the size of one CPU's slot in a per-CPU value.</summary>
    public uint PerCpuSlotSize => (ValueSize + 7) & ~7u;

    /// <summary>Bytes of a value as user space reads and writes it: value_size, or one slot per possible CPU for per-CPU maps.</summary>
    public uint UserValueSize => IsPerCpu ? PerCpuSlotSize * (uint)PossibleCpus : ValueSize;

    /// <summary>Creates a map (BPF_MAP_CREATE).</summary>
    /// <exception cref="BpfException">The system refused the attributes (EINVAL, E2BIG, ENOMEM, ...).</exception>
    /// <exception cref="ArgumentException">The name does not fit in 15 characters.</exception>
    public static BpfMap Create(BpfSystem system, BpfMapSpec spec) =>
        Adopt(system, CreateFd(system, spec), ownsOnFailure: true, static (s, fd, info) => new BpfMap(s, fd, info));

    /// <summary>Creates a map (BPF_MAP_CREATE) from the most used attributes.</summary>
    /// <exception cref="BpfException">The system refused the attributes (EINVAL, E2BIG, ENOMEM, ...).</exception>
    /// <exception cref="ArgumentException">The name does not fit in 15 characters.</exception>
    public static BpfMap Create(BpfSystem system, BpfMapType type, uint keySize, uint valueSize, uint maxEntries,
        uint flags = 0, string name = "") =>
        Create(system, new BpfMapSpec(type, keySize, valueSize, maxEntries) { Flags = flags, Name = name });

    /// <summary>
    /// Takes ownership of <paramref name="fd"/>, a map fd of <paramref name="system"/> (from the
    /// <c>Bpf</c> facade): disposing the result closes it. On failure the fd stays open and the caller's.
    /// </summary>
    /// <exception cref="BpfException">The fd is not open (EBADF) or not a map (EINVAL).</exception>
    public static BpfMap FromFd(BpfSystem system, int fd) =>
        Adopt(system, fd, ownsOnFailure: false, static (s, f, info) => new BpfMap(s, f, info));

    /// <summary>Opens the map pinned at <paramref name="path"/> (BPF_OBJ_GET); <paramref name="fileFlags"/> may be BPF_F_RDONLY or BPF_F_WRONLY.</summary>
    /// <exception cref="BpfException">Nothing is pinned there (ENOENT), or it is not a map (EINVAL).</exception>
    public static BpfMap Open(BpfSystem system, string path, uint fileFlags = 0) =>
        Adopt(system, ObjGet(system, path, fileFlags), ownsOnFailure: true, static (s, fd, info) => new BpfMap(s, fd, info));

    /// <summary>Opens the map with id <paramref name="id"/> (BPF_MAP_GET_FD_BY_ID).</summary>
    /// <exception cref="BpfException">No map has that id (ENOENT).</exception>
    public static BpfMap FromId(BpfSystem system, uint id, uint openFlags = 0) =>
        Adopt(system, GetFdById(system, id, openFlags), ownsOnFailure: true, static (s, fd, info) => new BpfMap(s, fd, info));

    /// <summary>Freezes the map (BPF_MAP_FREEZE): user space can no longer write it; programs still can.</summary>
    /// <exception cref="BpfException">Already frozen or a writable mapping is held (EBUSY), the fd is read-only (EPERM), ...</exception>
    public void Freeze()
    {
        MapElemAttr a = default;
        a.MapFd = (uint)Fd;
        Check(BpfCommand.MapFreeze, System.Bpf(BpfCommand.MapFreeze, AttrBytes(&a, sizeof(MapElemAttr))));
    }

    /// <summary>
    /// Maps the values of a BPF_F_MMAPABLE array for use in place (the kernel's mmap of the map fd).
    /// Dispose the mapping when done; it keeps the map alive until then.
    /// </summary>
    /// <exception cref="BpfException">EINVAL (no BPF_F_MMAPABLE), ENOTSUPP (not an array), EPERM (writable, but the map is frozen).</exception>
    public BpfMapMapping Mmap(bool writable = true) => BpfMapMapping.Map(System, Fd, writable);

    /// <inheritdoc/>
    public override string ToString() => $"{Type} map {Id} \"{Name}\" (key {KeySize}, value {ValueSize}, max {MaxEntries})";

    // BPF_MAP_CREATE: the new fd, or throws.
    private protected static int CreateFd(BpfSystem system, BpfMapSpec spec)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(spec);
        BpfAttr attr = spec.ToAttr();
        int fd = system.Bpf(BpfCommand.MapCreate, ref attr, (uint)sizeof(MapCreateAttr));
        Check(BpfCommand.MapCreate, fd);
        return fd;
    }

    // BPF_MAP_GET_FD_BY_ID.
    private protected static int GetFdById(BpfSystem system, uint id, uint openFlags)
    {
        ArgumentNullException.ThrowIfNull(system);
        GetIdAttr a = default;
        a.MapId = id;
        a.OpenFlags = openFlags;
        int fd = system.Bpf(BpfCommand.MapGetFdById, AttrBytes(&a, sizeof(GetIdAttr)));
        Check(BpfCommand.MapGetFdById, fd);
        return fd;
    }

    /// <summary>
    /// Reads the attributes of map fd <paramref name="fd"/> and makes the object; on failure closes the
    /// fd if <paramref name="ownsOnFailure"/>.
    /// </summary>
    private protected static TMap Adopt<TMap>(BpfSystem system, int fd, bool ownsOnFailure,
        Func<BpfSystem, int, BpfMapInfo, TMap> make) where TMap : BpfMap
    {
        ArgumentNullException.ThrowIfNull(system);
        try
        {
            ReadInfo(system, fd, out BpfMapInfo info);
            return make(system, fd, info);
        }
        catch when (ownsOnFailure)
        {
            system.Close(fd);
            throw;
        }
    }

    // BPF_OBJ_GET_INFO_BY_FD on a fd that must be a map (the info of a program would read as garbage).
    private static void ReadInfo(BpfSystem system, int fd, out BpfMapInfo info)
    {
        int err = system.GetObject(fd, out BpfObject? obj);
        if (err < 0) throw BpfException.For(BpfCommand.ObjGetInfoByFd, err);
        bool isMap = obj is Map;
        obj?.Release();
        if (!isMap) throw BpfException.For(BpfCommand.ObjGetInfoByFd, -Errno.EINVAL, $"fd {fd} is not a map");
        BpfMapInfo result = default;
        InfoAttr a = default;
        a.BpfFd = (uint)fd;
        a.InfoLen = (uint)sizeof(BpfMapInfo);
        a.Info = (ulong)&result;
        Check(BpfCommand.ObjGetInfoByFd, system.Bpf(BpfCommand.ObjGetInfoByFd, AttrBytes(&a, sizeof(InfoAttr))));
        info = result;
    }

    /// <summary>A command's view of <c>union bpf_attr</c> as the bytes the facade takes (their count is the size argument).</summary>
    private protected static Span<byte> AttrBytes(void* attr, int size) => new(attr, size);

    /// <summary>Throws the <see cref="BpfException"/> for a negative command result.</summary>
    private protected static void Check(BpfCommand cmd, int result)
    {
        if (result < 0) Throw(cmd, result);
    }

    /// <summary>Throws the <see cref="BpfException"/> for <paramref name="errno"/>.</summary>
    [DoesNotReturn]
    private protected static void Throw(BpfCommand cmd, int errno) => throw BpfException.For(cmd, errno);
}
