using System.Runtime.CompilerServices;
using BpfSharp.Memory;
using BpfSharp.Syscall;
using BpfSharp.Uapi;

namespace BpfSharp.Maps;

/// <summary>
/// What DEVMAP and CPUMAP share (kernel: devmap.c and cpumap.c): u32 index keys below max_entries whose slots are
/// empty or hold a redirect target (a u32 ifindex or queue size, and with an 8-byte value a program id for the
/// program run on redirected frames). bpf_redirect_map finds the target by key; user space fills and empties slots.
/// </summary>
public abstract unsafe class RedirectArrayMap : ArrayMapBase
{
    private readonly byte* _values;
    private readonly ulong _bytes;
    private readonly int[] _present;

    /// <summary>Creates the empty slots over <paramref name="values"/> (max_entries * 8 bytes, zeroed and charged).</summary>
    private protected RedirectArrayMap(MapAttributes attributes, MapContext context, byte* values, ulong bytes)
        : base(attributes, context)
    {
        _values = values;
        _bytes = bytes;
        _present = new int[attributes.MaxEntries];
    }

    /// <summary>kernel: dev_map_alloc_check / cpu_map_alloc_check's common part: key 4, value 4 or 8, max_entries &gt; 0, flags.</summary>
    private protected static int CheckRedirectAttributes(MapAttributes a, uint allowedFlags)
    {
        if (a.MaxEntries == 0 || a.KeySize != 4 || a.ValueSize is not (4 or 8) || (a.Flags & ~allowedFlags) != 0)
            return -Errno.EINVAL;
        return 0;
    }

    /// <summary>Allocates the slots' memory and creates the map with <paramref name="create"/>.</summary>
    private protected static int Allocate(MapAttributes a, MapContext context, out Map? map,
        Func<MapAttributes, MapContext, nint, ulong, Map> create)
    {
        map = null;
        if (a.MaxEntries > (uint)Array.MaxLength) return -Errno.ENOMEM;
        ulong bytes = (ulong)a.MaxEntries * 8;
        byte* values = MapMemory.AllocZeroed(context, bytes, 64);
        if (values == null) return -Errno.ENOMEM;
        map = create(a, context, (nint)values, bytes);
        return 0;
    }

    private byte* Slot(uint index) => _values + (ulong)index * 8;

    /// <summary>The target at <paramref name="key"/>, or null for an empty slot or an index past the end.</summary>
    public override byte* LookupElem(byte* key, int cpu)
    {
        uint index = IndexOf(key);
        return index < MaxEntries && Volatile.Read(ref _present[index]) != 0 ? Slot(index) : null;
    }

    /// <summary>Programs cannot change the targets (the verifier lets them look up and redirect only).</summary>
    public override int UpdateElem(byte* key, byte* value, ulong flags, int cpu) => -Errno.EINVAL;

    /// <summary>
    /// kernel: dev_map_update_elem / cpu_map_update_elem: -EINVAL for flags other than BPF_ANY/BPF_EXIST, -E2BIG for an
    /// index past the end, -EEXIST for BPF_NOEXIST (every slot exists), then the type's checks of the value
    /// (<see cref="CheckTarget"/>); a zero target empties the slot.
    /// </summary>
    public override int SysUpdate(byte* key, byte* value, ulong flags)
    {
        uint index = IndexOf(key);
        int err = CheckUpdate(index, flags, 0);
        if (err < 0) return err;
        uint target = Unsafe.ReadUnaligned<uint>(value);
        int progFd = ValueSize == 8 ? Unsafe.ReadUnaligned<int>(value + 4) : 0;
        err = CheckTarget(index, target, progFd, out uint progId);
        if (err < 0) return err;
        if (target == 0)
        {
            Volatile.Write(ref _present[index], 0);
            return 0;
        }
        Unsafe.WriteUnaligned(Slot(index), target);
        Unsafe.WriteUnaligned(Slot(index) + 4, progId);
        Volatile.Write(ref _present[index], 1);
        return 0;
    }

    /// <summary>
    /// The type's checks of a new target (an ifindex, a queue size) and of the program fd of an 8-byte value: 0 with the
    /// program's id (0 for none), or -errno. A zero target (an empty slot) is checked too.
    /// </summary>
    private protected abstract int CheckTarget(uint index, uint target, int progFd, out uint progId);

    /// <summary>
    /// The id of the XDP program behind <paramref name="fd"/> whose expected attach type is <paramref name="attach"/>
    /// (kernel: the bpf_prog_get_type_dev + expected_attach_type checks of a devmap or cpumap program): -EINVAL otherwise.
    /// </summary>
    private protected int TargetProgram(int fd, BpfAttachType attach, out uint progId) =>
        TargetProgram(Context, fd, attach, out progId);

    /// <summary><see cref="TargetProgram(int, BpfAttachType, out uint)"/> for any map of <paramref name="context"/> (DEVMAP_HASH too).</summary>
    internal static int TargetProgram(MapContext context, int fd, BpfAttachType attach, out uint progId)
    {
        progId = 0;
        BpfObject? obj = context.ResolveFd?.Invoke(fd);
        if (obj is null) return -Errno.EBADF;
        try
        {
            if (obj is not LoadedProgram { Type: BpfProgType.Xdp } p || p.ExpectedAttachType != (uint)attach)
                return -Errno.EINVAL;
            progId = p.Id;
            return 0;
        }
        finally
        {
            obj.Release();
        }
    }

    /// <summary>kernel: dev_map_delete_elem / cpu_map_delete_elem: -EINVAL past the end, else the slot is emptied.</summary>
    public override int DeleteElem(byte* key)
    {
        uint index = IndexOf(key);
        if (index >= MaxEntries) return -Errno.EINVAL;
        Volatile.Write(ref _present[index], 0);
        return 0;
    }

    /// <inheritdoc/>
    protected override void Free()
    {
        MapMemory.Free(Context, _values, _bytes);
        base.Free();
    }
}
