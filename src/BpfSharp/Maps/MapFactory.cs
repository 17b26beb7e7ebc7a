using BpfSharp.Maps.RingBuf;
using BpfSharp.Uapi;

namespace BpfSharp.Maps;

/// <summary>Creates a map of any implemented type from validated-or-not attributes (MAP_CREATE).</summary>
public static class MapFactory
{
    /// <summary>
    /// Creates the map described by <paramref name="attributes"/>: 0 and the map, or -errno
    /// (-EINVAL for an unknown type or invalid attributes, -ENOMEM over the memory limit, -E2BIG
    /// where the kernel says so).
    /// </summary>
    public static int Create(MapAttributes attributes, MapContext context, out Map? map)
    {
        map = null;
        switch (attributes.Type)
        {
            case BpfMapType.Hash: return HashMap.TryCreate(attributes, context, out map);
            case BpfMapType.PercpuHash: return PercpuHashMap.TryCreate(attributes, context, out map);
            case BpfMapType.LruHash: return LruHashMap.TryCreate(attributes, context, out map);
            case BpfMapType.LruPercpuHash: return LruPercpuHashMap.TryCreate(attributes, context, out map);
            case BpfMapType.HashOfMaps: return HashOfMaps.TryCreate(attributes, context, out map);
            case BpfMapType.Array: return ArrayMap.TryCreate(attributes, context, out map);
            case BpfMapType.PercpuArray: return PercpuArrayMap.TryCreate(attributes, context, out map);
            case BpfMapType.ProgArray: return ProgArray.TryCreate(attributes, context, out map);
            case BpfMapType.ArrayOfMaps: return ArrayOfMaps.TryCreate(attributes, context, out map);
            case BpfMapType.LpmTrie: return LpmTrie.TryCreate(attributes, context, out map);
            case BpfMapType.Queue:
            case BpfMapType.Stack: return QueueStackMap.TryCreate(attributes, context, out map);
            case BpfMapType.BloomFilter: return BloomFilter.TryCreate(attributes, context, out map);
            case BpfMapType.PerfEventArray: return PerfEventArray.TryCreate(attributes, context, out map);
            case BpfMapType.StackTrace: return StackTraceMap.TryCreate(attributes, context, out map);
            case BpfMapType.CgroupArray: return CgroupArray.TryCreate(attributes, context, out map);
            case BpfMapType.Ringbuf: return RingBufMap.TryCreate(attributes, context, out map);
            case BpfMapType.UserRingbuf: return UserRingBufMap.TryCreate(attributes, context, out map);
            case BpfMapType.Devmap: return DevMap.TryCreate(attributes, context, out map);
            case BpfMapType.DevmapHash: return DevMapHash.TryCreate(attributes, context, out map);
            case BpfMapType.Cpumap: return CpuMap.TryCreate(attributes, context, out map);
            case BpfMapType.Xskmap: return XskMap.TryCreate(attributes, context, out map);
            case BpfMapType.Sockmap: return SockMap.TryCreate(attributes, context, out map);
            case BpfMapType.Sockhash: return SockHash.TryCreate(attributes, context, out map);
            default:
                return -Errno.EINVAL;
        }
    }
}
