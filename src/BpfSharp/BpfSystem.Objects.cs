using BpfSharp.Maps;
using BpfSharp.Memory;
using BpfSharp.Syscall;
using BpfSharp.Uapi;

namespace BpfSharp;

// OBJ_PIN, OBJ_GET, *_GET_NEXT_ID, *_GET_FD_BY_ID.
public sealed unsafe partial class BpfSystem
{
    // kernel: bpf_obj_pin. Maps and programs can be pinned; a pin holds a reference (and a map's user reference).
    private int ObjPin(ref BpfAttr attr)
    {
        ObjAttr a = attr.Obj;
        if (a.FileFlags != 0) return -Errno.EINVAL;
        // kernel: bpf_fd_probe_obj answers -EINVAL for anything that is not an open map or program.
        if (_fds.Get((int)a.BpfFd, out BpfObject? obj, out _) < 0) return -Errno.EINVAL;
        if (obj is not (Map or LoadedProgram))
        {
            obj?.Release();
            return -Errno.EINVAL;
        }
        int err = ReadPath(a.Pathname, out string path);
        if (err == 0) err = _pins.Pin(path, obj);
        if (err < 0)
        {
            obj.Release();
            return err;
        }
        if (obj is Map map) map.AcquireUser();
        return 0;
    }

    // kernel: bpf_obj_get. Opens a pinned object; a map with the access file_flags ask for.
    private int ObjGet(ref BpfAttr attr)
    {
        ObjAttr a = attr.Obj;
        if (a.BpfFd != 0 || (a.FileFlags & ~ProgFlags.ObjFlagMask) != 0) return -Errno.EINVAL;
        int err = FdModes.FromFlags(a.FileFlags, out FdMode mode);
        if (err < 0) return err;
        err = ReadPath(a.Pathname, out string path);
        if (err < 0) return err;
        err = _pins.Get(path, out BpfObject? obj);
        if (err < 0) return err;
        // A program opens read-write whatever the flags (kernel: bpf_prog_new_fd ignores them).
        return obj is Map map ? InstallMap(map, mode) : InstallObject(obj!);
    }

    // A path from caller memory: -EFAULT, -ENAMETOOLONG (no NUL within PATH_MAX), -ENOENT (empty).
    private static int ReadPath(ulong address, out string path)
    {
        int err = UserMemory.ReadString(address, UserMemory.PathMax, out path, out bool truncated);
        if (err < 0) return err;
        if (truncated) return -Errno.ENAMETOOLONG;
        return path.Length == 0 ? -Errno.ENOENT : 0;
    }

    // kernel: bpf_obj_get_next_id.
    private static int GetNextId(IdTable ids, ref BpfAttr attr, AttrOut io)
    {
        uint start = attr.GetId.StartId;
        if (start >= int.MaxValue) return -Errno.EINVAL;
        if (!ids.TryGetNext(start, out uint next)) return -Errno.ENOENT;
        return io.Put(ref attr, ref attr.GetId.NextId, next);
    }

    // kernel: bpf_map_get_fd_by_id.
    private int MapGetFdById(ref BpfAttr attr)
    {
        GetIdAttr a = attr.GetId;
        if ((a.OpenFlags & ~ProgFlags.ObjFlagMask) != 0) return -Errno.EINVAL;
        int err = FdModes.FromFlags(a.OpenFlags, out FdMode mode);
        if (err < 0) return err;
        if (_mapIds.Acquire(a.MapId) is not Map map) return -Errno.ENOENT;
        return InstallMap(map, mode);
    }

    // kernel: bpf_prog_get_fd_by_id, bpf_btf_get_fd_by_id.
    private int GetFdById(IdTable ids, uint id) =>
        ids.Acquire(id) is { } obj ? InstallObject(obj) : -Errno.ENOENT;
}
