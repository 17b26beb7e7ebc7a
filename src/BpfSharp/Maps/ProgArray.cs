using BpfSharp.Memory;
using BpfSharp.Uapi;

namespace BpfSharp.Maps;

/// <summary>
/// BPF_MAP_TYPE_PROG_ARRAY (kernel: arraymap.c, prog_array_map_ops): the tail-call table. User space
/// stores program fds; each slot holds a reference to its program, and a user-space lookup returns the
/// program's id. Programs cannot look elements up (the verifier allows only bpf_tail_call, which
/// uses <see cref="GetProgram"/>).
/// </summary>
/// <remarks>
/// All programs in one array must be compatible (kernel: bpf_prog_map_compatible): the first program that
/// enters the array or is loaded using it fixes the <see cref="Owner"/>, computed by
/// <see cref="MapContext.ProgramOwner"/>; later ones must have an equal owner value, else -EINVAL.
/// Because a program may hold a reference to an array that holds it, the array empties itself when user
/// space's last reference to it (fd or pin) goes (the kernel's map_release_uref), which breaks the cycle.
/// </remarks>
public sealed unsafe class ProgArray : FdArrayMap
{
    private object? _owner;

    private ProgArray(MapAttributes attributes, MapContext context) : base(attributes, context) { }

    /// <summary>kernel: fd_array_map_alloc_check + prog_array_map_alloc. 0 and the map, or -EINVAL, -ENOMEM.</summary>
    internal static int TryCreate(MapAttributes attributes, MapContext context, out Map? map)
    {
        map = null;
        int err = CheckFdArrayAttributes(attributes);
        if (err != 0) return err;
        if (!TryChargeSlots(attributes, context)) return -Errno.ENOMEM;
        map = new ProgArray(attributes, context);
        return 0;
    }

    /// <summary>The owner value fixed by the first compatible program (kernel: map->owner), or null while none.</summary>
    public object? Owner => Volatile.Read(ref _owner);

    /// <summary>
    /// kernel: bpf_prog_map_compatible. True if <paramref name="program"/> may be used with this array: the
    /// first program fixes the owner, later ones must match it. PROG_LOAD calls it too, for programs that
    /// use the array (bpf_check_tail_call).
    /// </summary>
    public bool IsCompatible(BpfObject program)
    {
        if (program is Map) return false;
        Func<BpfObject, object?>? ownerOf = Context.ProgramOwner;
        if (ownerOf is null) return true;
        object? owner = ownerOf(program);
        if (owner is null) return false;
        object? fixedOwner = Interlocked.CompareExchange(ref _owner, owner, null);
        return fixedOwner is null || fixedOwner.Equals(owner);
    }

    /// <summary>kernel: prog_array_map_clear on map_release_uref: the last fd or pin is gone, every slot empties.</summary>
    protected override void ReleaseUserReferences() => Clear();

    /// <summary>The program in slot <paramref name="index"/> for bpf_tail_call, or null (empty slot, index out of range).</summary>
    public override BpfObject? GetProgram(uint index) => Get(index);

    /// <summary>Programs cannot look up a PROG_ARRAY (kernel: fd_array_map_lookup_elem): always null.</summary>
    public override byte* LookupElem(byte* key, int cpu) => null;

    /// <summary>kernel: prog_fd_array_get_ptr: -EBADF for an fd that is not open, -EINVAL for anything but a compatible program.</summary>
    protected override int GetPtr(uint fd, out BpfObject? obj)
    {
        obj = fd > int.MaxValue ? null : Context.ResolveFd?.Invoke((int)fd);
        if (obj is null) return -Errno.EBADF;
        if (!IsCompatible(obj))
        {
            obj.Release();
            obj = null;
            return -Errno.EINVAL;
        }
        return 0;
    }
}
