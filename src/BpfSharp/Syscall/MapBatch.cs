using System.Runtime.InteropServices;
using BpfSharp.Maps;
using BpfSharp.Uapi;

namespace BpfSharp.Syscall;

/// <summary>
/// The batch commands over any map (kernel: generic_map_lookup_batch, generic_map_update_batch,
/// generic_map_delete_batch), built on the map's own GetNextKey / SysLookup / SysUpdate / SysDelete.
/// </summary>
/// <remarks>
/// The batch position (in_batch / out_batch) is the last key processed, key_size bytes, for every
/// map type, as the kernel has it for arrays and LPM tries. The kernel's hash maps use a 4-byte
/// bucket index instead and may return fewer elements than asked (or ENOSPC) to stop at a bucket
/// boundary; here a hash map's batch position is a key too, and out_batch must hold key_size
/// bytes. If the key at in_batch has been deleted meanwhile, the walk restarts at the first key
/// (GET_NEXT_KEY's rule), so LOOKUP_AND_DELETE_BATCH resumes at the first remaining element.
/// </remarks>
internal static unsafe class MapBatch
{
    /// <summary>MAP_LOOKUP_RETRIES: how often a lookup may find its key just deleted before the batch gives up with -EINTR.</summary>
    public const int LookupRetries = 3;

    /// <summary>True if <paramref name="type"/> implements <paramref name="cmd"/> (else the kernel says -ENOTSUPP).</summary>
    public static bool Supports(BpfMapType type, BpfCommand cmd)
    {
        if (IsHashFamily(type)) return true;
        return cmd switch
        {
            BpfCommand.MapLookupBatch or BpfCommand.MapUpdateBatch =>
                type is BpfMapType.Array or BpfMapType.PercpuArray or BpfMapType.ArrayOfMaps or BpfMapType.LpmTrie,
            BpfCommand.MapDeleteBatch => type == BpfMapType.LpmTrie,
            _ => false,
        };
    }

    /// <summary>The hash maps, whose batch lookups also refuse non-zero batch.flags.</summary>
    public static bool IsHashFamily(BpfMapType type) => type is BpfMapType.Hash or BpfMapType.PercpuHash
        or BpfMapType.LruHash or BpfMapType.LruPercpuHash or BpfMapType.HashOfMaps;

    /// <summary>MAP_LOOKUP_BATCH and (with <paramref name="delete"/>) MAP_LOOKUP_AND_DELETE_BATCH.</summary>
    public static int Lookup(Map map, ref BpfAttr attr, AttrOut io, bool delete)
    {
        MapBatchAttr b = attr.Batch;
        int err = CheckElemFlags(map, b.ElemFlags);
        if (err < 0) return err;
        if (IsHashFamily(map.Type) && b.Flags != 0) return -Errno.EINVAL;
        if (b.Count == 0) return 0;
        if (io.Put(ref attr, ref attr.Batch.Count, 0u) < 0) return -Errno.EFAULT;

        nuint keySize = map.KeySize, valueSize = map.UserValueSize;
        byte* buffer = (byte*)NativeMemory.Alloc(2 * keySize + valueSize + 1);
        try
        {
            byte* prev = buffer, key = buffer + keySize, value = buffer + 2 * keySize;
            bool hasPrev = false;
            if (b.InBatch != 0)
            {
                UserMemory.CopyFrom(b.InBatch, prev, keySize);
                hasPrev = true;
            }
            uint done = 0;
            int retry = LookupRetries;
            while (done < b.Count)
            {
                err = map.GetNextKey(hasPrev ? prev : null, key);
                if (err < 0) break;
                err = delete ? map.SysLookupAndDelete(key, value, b.ElemFlags) : map.SysLookup(key, value, b.ElemFlags);
                if (err == -Errno.ENOENT)
                {
                    if (retry-- > 0) continue;
                    err = -Errno.EINTR;
                    break;
                }
                if (err < 0) return err;
                if (UserMemory.CopyTo(b.Keys + done * keySize, key, keySize) < 0 ||
                    UserMemory.CopyTo(b.Values + done * valueSize, value, valueSize) < 0)
                    return -Errno.EFAULT;
                byte* last = key;
                key = prev;
                prev = last;
                hasPrev = true;
                retry = LookupRetries;
                done++;
            }
            if (io.Put(ref attr, ref attr.Batch.Count, done) < 0) return -Errno.EFAULT;
            if (done > 0 && UserMemory.CopyTo(b.OutBatch, prev, keySize) < 0) return -Errno.EFAULT;
            return err;
        }
        finally
        {
            NativeMemory.Free(buffer);
        }
    }

    /// <summary>MAP_UPDATE_BATCH: stops at the first element that fails; count says how many were updated.</summary>
    public static int Update(Map map, ref BpfAttr attr, AttrOut io) => Apply(map, ref attr, io, update: true);

    /// <summary>MAP_DELETE_BATCH: stops at the first key that fails; count says how many were deleted.</summary>
    public static int Delete(Map map, ref BpfAttr attr, AttrOut io) => Apply(map, ref attr, io, update: false);

    private static int Apply(Map map, ref BpfAttr attr, AttrOut io, bool update)
    {
        MapBatchAttr b = attr.Batch;
        int err = CheckElemFlags(map, b.ElemFlags);
        if (err < 0) return err;
        if (b.Count == 0) return 0;
        if (io.Put(ref attr, ref attr.Batch.Count, 0u) < 0) return -Errno.EFAULT;

        nuint keySize = map.KeySize, valueSize = map.UserValueSize;
        byte* key = (byte*)NativeMemory.Alloc(keySize + 1);
        try
        {
            uint done;
            for (done = 0; done < b.Count; done++)
            {
                err = UserMemory.CopyFrom(b.Keys + done * keySize, key, keySize);
                ulong value = b.Values == 0 ? 0 : b.Values + done * valueSize;
                if (err == 0 && update && value == 0) err = -Errno.EFAULT;
                if (err < 0) break;
                err = update ? map.SysUpdate(key, (byte*)value, b.ElemFlags) : map.SysDelete(key);
                if (err < 0) break;
            }
            if (io.Put(ref attr, ref attr.Batch.Count, done) < 0) return -Errno.EFAULT;
            return err;
        }
        finally
        {
            NativeMemory.Free(key);
        }
    }

    private static int CheckElemFlags(Map map, ulong elemFlags)
    {
        if ((elemFlags & ~MapFlags.BPF_F_LOCK) != 0) return -Errno.EINVAL;
        if ((elemFlags & MapFlags.BPF_F_LOCK) != 0 && map.Attributes.SpinLockOffset < 0) return -Errno.EINVAL;
        return 0;
    }
}
