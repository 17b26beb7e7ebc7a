using BpfSharp.Maps;
using BpfSharp.Syscall;
using BpfSharp.Uapi;

namespace BpfSharp;

// MAP_LOOKUP_ELEM, MAP_UPDATE_ELEM, MAP_DELETE_ELEM, MAP_GET_NEXT_KEY, MAP_LOOKUP_AND_DELETE_ELEM, MAP_FREEZE.
public sealed unsafe partial class BpfSystem
{
    // Keys up to this size are copied onto the stack.
    private const int KeyStackSize = 512;

    // kernel: map_lookup_elem.
    private int MapLookupElem(ref BpfAttr attr)
    {
        MapElemAttr a = attr.MapElem;
        if ((a.Flags & ~MapFlags.BPF_F_LOCK) != 0) return -Errno.EINVAL;
        int err = GetMap(a.MapFd, out Map? map, out FdMode mode);
        if (err < 0) return err;
        try
        {
            if ((mode & FdMode.Read) == 0) return -Errno.EPERM;
            if (!LockFlagOk(map!, a.Flags)) return -Errno.EINVAL;
            Span<byte> stack = stackalloc byte[KeyStackSize];
            err = CopyKey(map!, a.Key, stack, out UserMemory.Scratch key);
            if (err < 0) return err;
            using (key)
            {
                // A bloom filter's value is an input: the value to look for.
                if (map!.Type == BpfMapType.BloomFilter && a.Value == 0) return -Errno.EFAULT;
                Span<byte> valueStack = stackalloc byte[KeyStackSize];
                using var scratch = a.Value == 0 ? new UserMemory.Scratch(valueStack, map.UserValueSize) : default;
                err = map.SysLookup(key.Pointer, a.Value != 0 ? (byte*)a.Value : scratch.Pointer, a.Flags);
                return CopiedOut(err, a.Value);
            }
        }
        finally
        {
            map!.Release();
        }
    }

    // kernel: map_update_elem.
    private int MapUpdateElem(ref BpfAttr attr)
    {
        MapElemAttr a = attr.MapElem;
        int err = GetMap(a.MapFd, out Map? map, out FdMode mode);
        if (err < 0) return err;
        map!.BeginSysWrite();
        try
        {
            if (!CanWrite(map, mode)) return -Errno.EPERM;
            if (!LockFlagOk(map, a.Flags)) return -Errno.EINVAL;
            Span<byte> stack = stackalloc byte[KeyStackSize];
            err = CopyKey(map, a.Key, stack, out UserMemory.Scratch key);
            if (err < 0) return err;
            using (key)
            {
                if (a.Value == 0 && map.UserValueSize != 0) return -Errno.EFAULT;
                return map.SysUpdate(key.Pointer, (byte*)a.Value, a.Flags);
            }
        }
        finally
        {
            EndSysWrite(map);
        }
    }

    // kernel: map_delete_elem.
    private int MapDeleteElem(ref BpfAttr attr)
    {
        MapElemAttr a = attr.MapElem;
        int err = GetMap(a.MapFd, out Map? map, out FdMode mode);
        if (err < 0) return err;
        map!.BeginSysWrite();
        try
        {
            if (!CanWrite(map, mode)) return -Errno.EPERM;
            Span<byte> stack = stackalloc byte[KeyStackSize];
            err = CopyKey(map, a.Key, stack, out UserMemory.Scratch key);
            if (err < 0) return err;
            using (key)
                return map.SysDelete(key.Pointer);
        }
        finally
        {
            EndSysWrite(map);
        }
    }

    // kernel: map_get_next_key. A null key (or one not in the map) gives the first key.
    private int MapGetNextKey(ref BpfAttr attr)
    {
        MapElemAttr a = attr.MapElem;
        int err = GetMap(a.MapFd, out Map? map, out FdMode mode);
        if (err < 0) return err;
        try
        {
            if ((mode & FdMode.Read) == 0) return -Errno.EPERM;
            Span<byte> stack = stackalloc byte[KeyStackSize];
            var key = default(UserMemory.Scratch);
            if (a.Key != 0)
            {
                err = CopyKey(map!, a.Key, stack, out key);
                if (err < 0) return err;
            }
            using (key)
            {
                Span<byte> nextStack = stackalloc byte[KeyStackSize];
                using var next = new UserMemory.Scratch(nextStack, map!.KeySize);
                err = map.GetNextKey(key.Pointer, next.Pointer);
                if (err < 0) return err;
                return UserMemory.CopyTo(a.NextKey, next.Pointer, map.KeySize);
            }
        }
        finally
        {
            map!.Release();
        }
    }

    // kernel: map_lookup_and_delete_elem (queue and stack pop; hash maps look up and delete).
    private int MapLookupAndDeleteElem(ref BpfAttr attr)
    {
        MapElemAttr a = attr.MapElem;
        if ((a.Flags & ~MapFlags.BPF_F_LOCK) != 0) return -Errno.EINVAL;
        int err = GetMap(a.MapFd, out Map? map, out FdMode mode);
        if (err < 0) return err;
        map!.BeginSysWrite();
        try
        {
            if ((mode & FdMode.Read) == 0 || !CanWrite(map, mode)) return -Errno.EPERM;
            if (a.Flags != 0 && map.Type is BpfMapType.Queue or BpfMapType.Stack) return -Errno.EINVAL;
            if (!LockFlagOk(map, a.Flags)) return -Errno.EINVAL;
            Span<byte> stack = stackalloc byte[KeyStackSize];
            err = CopyKey(map, a.Key, stack, out UserMemory.Scratch key);
            if (err < 0) return err;
            using (key)
            {
                Span<byte> valueStack = stackalloc byte[KeyStackSize];
                using var scratch = a.Value == 0 ? new UserMemory.Scratch(valueStack, map.UserValueSize) : default;
                err = map.SysLookupAndDelete(key.Pointer, a.Value != 0 ? (byte*)a.Value : scratch.Pointer, a.Flags);
                return CopiedOut(err, a.Value);
            }
        }
        finally
        {
            EndSysWrite(map);
        }
    }

    // kernel: map_freeze, in its order: maps with a spin lock or timer in their values cannot be frozen,
    // then the fd must allow writing (a frozen map allows none: a second freeze is -EPERM), then no
    // user-space write may be in progress.
    private int MapFreeze(ref BpfAttr attr)
    {
        int err = GetMap(attr.MapElem.MapFd, out Map? map, out FdMode mode);
        if (err < 0) return err;
        try
        {
            if (map!.HasSpecialFields) return -Errno.ENOTSUPP;
            if (!CanWrite(map, mode)) return -Errno.EPERM;
            if (map.IsWriteActive) return -Errno.EBUSY;
            return map.Freeze();
        }
        finally
        {
            map!.Release();
        }
    }

    // A user-space write is over: what it retired is reclaimed at once unless a run still holds it
    // (then that run reclaims it as it leaves).
    private void EndSysWrite(Map map)
    {
        map.EndSysWrite();
        map.Release();
        Epochs.ReclaimIfPending();
    }

    // kernel: map_get_sys_perms & FMODE_CAN_WRITE: the fd allows writing and the map is not frozen.
    private static bool CanWrite(Map map, FdMode mode) => (mode & FdMode.Write) != 0 && !map.IsFrozen;

    // BPF_F_LOCK is only for values holding a bpf_spin_lock.
    private static bool LockFlagOk(Map map, ulong flags) =>
        (flags & MapFlags.BPF_F_LOCK) == 0 || map.Attributes.SpinLockOffset >= 0;

    // kernel: __bpf_copy_key. A key is copied before the map sees it; maps without keys take none.
    private static int CopyKey(Map map, ulong address, scoped Span<byte> stack, out UserMemory.Scratch key)
    {
        key = default;
        if (map.KeySize == 0) return address == 0 ? 0 : -Errno.EINVAL;
        if (address == 0) return -Errno.EFAULT;
        key = new UserMemory.Scratch(stack, map.KeySize);
        return UserMemory.CopyFrom(address, key.Pointer, map.KeySize);
    }

    // The kernel copies a value out after the operation: with no destination the operation still
    // happens (into a scratch buffer here) and then the copy fails with -EFAULT.
    private static int CopiedOut(int err, ulong destination) => err < 0 ? err : destination == 0 ? -Errno.EFAULT : 0;
}
