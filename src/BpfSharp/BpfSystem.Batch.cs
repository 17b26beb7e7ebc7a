using BpfSharp.Maps;
using BpfSharp.Syscall;
using BpfSharp.Uapi;

namespace BpfSharp;

// MAP_LOOKUP_BATCH, MAP_LOOKUP_AND_DELETE_BATCH, MAP_UPDATE_BATCH, MAP_DELETE_BATCH.
public sealed partial class BpfSystem
{
    // kernel: bpf_map_do_batch.
    private int MapBatchCommand(BpfCommand cmd, ref BpfAttr attr, AttrOut io)
    {
        bool reads = cmd is BpfCommand.MapLookupBatch or BpfCommand.MapLookupAndDeleteBatch;
        bool writes = cmd != BpfCommand.MapLookupBatch;
        int err = GetMap(attr.Batch.MapFd, out Map? map, out FdMode mode);
        if (err < 0) return err;
        if (writes) map!.BeginSysWrite();
        try
        {
            if (reads && (mode & FdMode.Read) == 0) return -Errno.EPERM;
            if (writes && !CanWrite(map!, mode)) return -Errno.EPERM;
            if (!MapBatch.Supports(map!.Type, cmd)) return -Errno.ENOTSUPP;
            return cmd switch
            {
                BpfCommand.MapLookupBatch => MapBatch.Lookup(map, ref attr, io, delete: false),
                BpfCommand.MapLookupAndDeleteBatch => MapBatch.Lookup(map, ref attr, io, delete: true),
                BpfCommand.MapUpdateBatch => MapBatch.Update(map, ref attr, io),
                _ => MapBatch.Delete(map, ref attr, io),
            };
        }
        finally
        {
            if (writes) EndSysWrite(map!);
            else map!.Release();
        }
    }
}
