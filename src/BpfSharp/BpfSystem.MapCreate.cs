using BpfSharp.Maps;
using BpfSharp.Syscall;
using BpfSharp.Uapi;
using BpfSharp.Verifier;

namespace BpfSharp;

// MAP_CREATE.
public sealed partial class BpfSystem
{
    // NUMA nodes of this system: one (node 0).
    private const uint NumaNodes = 1;

    // kernel: map_create. The attributes are checked here; each map type checks the combination.
    private int MapCreate(ref BpfAttr attr, BpfCapabilities caps)
    {
        MapCreateAttr a = attr.MapCreate;
        var type = (BpfMapType)a.MapType;
        if (a.BtfVmlinuxValueTypeId != 0) return -Errno.EINVAL; // struct_ops maps: not implemented
        if (a.BtfKeyTypeId != 0 && a.BtfValueTypeId == 0) return -Errno.EINVAL;
        if (type != BpfMapType.BloomFilter && a.MapExtra != 0) return -Errno.EINVAL;
        int err = FdModes.FromFlags(a.MapFlags, out FdMode mode);
        if (err < 0) return err;
        // bpf_map_attr_numa_node: numa_node counts only with BPF_F_NUMA_NODE, and (u32)-1 is NUMA_NO_NODE.
        int numaNode = (a.MapFlags & MapFlags.BPF_F_NUMA_NODE) != 0 ? (int)a.NumaNode : -1;
        if (numaNode != -1 && (uint)numaNode >= NumaNodes) return -Errno.EINVAL;
        if (a.MapIfindex != 0) return -Errno.EINVAL; // no device to offload to
        if (a.MapName.Validate(out string name) < 0) return -Errno.EINVAL;

        BtfObject? btf = null;
        try
        {
            var fields = new MapBtfCheck.Fields(-1, -1);
            if (a.BtfKeyTypeId != 0 || a.BtfValueTypeId != 0)
            {
                err = GetBtf(a.BtfFd, out btf);
                if (err < 0) return err;
                err = MapBtfCheck.Check(btf!.Types, a, out fields);
                if (err < 0) return err;
            }
            var attributes = new MapAttributes
            {
                Type = type,
                KeySize = a.KeySize,
                ValueSize = a.ValueSize,
                MaxEntries = a.MaxEntries,
                Flags = a.MapFlags,
                Name = name,
                NumaNode = a.NumaNode,
                MapExtra = a.MapExtra,
                InnerMapFd = a.InnerMapFd, // a map-in-map resolves it after its own checks (bpf_map_meta_alloc)
                SpinLockOffset = fields.SpinLockOffset,
                TimerOffset = fields.TimerOffset,
                BtfKeyTypeId = btf is null ? 0 : a.BtfKeyTypeId,
                BtfValueTypeId = btf is null ? 0 : a.BtfValueTypeId,
                BtfId = btf?.Id ?? 0,
                BypassSpecV1 = VerifierCapabilities.From(caps).BypassSpecV1,
            };
            err = _options.CreateMap(attributes, MapContext, out Map? map);
            if (err < 0) return err;
            map!.Releasing = _releasing;
            _mapIds.Allocate(map);
            Maps.Add(map);
            if (btf is not null)
            {
                lock (_mapBtf)
                    _mapBtf.Add(map, btf); // the map keeps the BTF object alive
                btf = null;
            }
            return InstallMap(map, mode);
        }
        finally
        {
            btf?.Release();
        }
    }
}
