using BpfSharp.Uapi;

namespace BpfSharp.Syscall;

/// <summary>
/// kernel: map_check_btf. Checks MAP_CREATE's btf_key_type_id / btf_value_type_id against the map
/// and finds the special fields of the value: a <c>struct bpf_spin_lock</c> and a <c>struct bpf_timer</c>.
/// Kind checks that need more of BTF than sizes and members (an array's key must be a 32-bit int,
/// a keyless array's value a DATASEC) are left to the map types.
/// </summary>
internal static class MapBtfCheck
{
    /// <summary>The value's special fields, -1 where absent.</summary>
    public readonly record struct Fields(int SpinLockOffset, int TimerOffset);

    /// <summary>0 and the fields, or -EINVAL / -E2BIG / -EACCES / -EOPNOTSUPP as the kernel decides.</summary>
    public static int Check(IBtfTypes btf, in MapCreateAttr a, out Fields fields)
    {
        fields = new Fields(-1, -1);
        var type = (BpfMapType)a.MapType;
        if (a.BtfKeyTypeId != 0)
        {
            if (btf.SizeOf(a.BtfKeyTypeId) is not { } keySize || keySize != a.KeySize) return -Errno.EINVAL;
        }
        else if (!AllowsKeylessBtf(type, a.MaxEntries))
        {
            return -Errno.EINVAL;
        }
        if (btf.SizeOf(a.BtfValueTypeId) is not { } valueSize || valueSize != a.ValueSize) return -Errno.EINVAL;

        int spinLock = btf.FindStructMember(a.BtfValueTypeId, "bpf_spin_lock");
        int timer = btf.FindStructMember(a.BtfValueTypeId, "bpf_timer");
        // The live kernel creates the map without the field when its search fails (several, or
        // an unusable placement); BTF_LOAD already refused the direct duplicates.
        spinLock = Math.Max(spinLock, -1);
        timer = Math.Max(timer, -1);
        if (spinLock >= 0 || timer >= 0)
        {
            if ((a.MapFlags & (MapFlags.BPF_F_RDONLY_PROG | MapFlags.BPF_F_WRONLY_PROG)) != 0) return -Errno.EACCES;
            if (spinLock >= 0 && type is not (BpfMapType.Hash or BpfMapType.Array or BpfMapType.CgroupStorage
                    or BpfMapType.SkStorage or BpfMapType.InodeStorage or BpfMapType.TaskStorage))
                return -Errno.EOPNOTSUPP;
            if (timer >= 0 && type is not (BpfMapType.Hash or BpfMapType.LruHash or BpfMapType.Array))
                return -Errno.EOPNOTSUPP;
        }
        if (type == BpfMapType.BloomFilter && a.BtfKeyTypeId != 0) return -Errno.EINVAL; // bloom filters have no key
        fields = new Fields(spinLock, timer);
        return 0;
    }

    // Without a key type only the maps whose map_check_btf accepts a void key: global data
    // (a single-entry ARRAY) and bloom filters.
    private static bool AllowsKeylessBtf(BpfMapType type, uint maxEntries) =>
        (type == BpfMapType.Array && maxEntries == 1) || type == BpfMapType.BloomFilter;
}
