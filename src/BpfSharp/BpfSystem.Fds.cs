using BpfSharp.Maps;
using BpfSharp.Memory;
using BpfSharp.Syscall;
using BpfSharp.Uapi;

namespace BpfSharp;

// Turning fds into objects and objects into fds; what happens when an object goes.
public sealed partial class BpfSystem
{
    // kernel: fdget + __bpf_map_get. 0 with a reference, -EBADF (not open), -EINVAL (not a map).
    private int GetMap(uint fd, out Map? map, out FdMode mode) => GetTyped(fd, out map, out mode);

    // kernel: bpf_prog_get.
    private int GetProgram(uint fd, out LoadedProgram? program) => GetTyped(fd, out program, out _);

    /// <summary>The program behind <paramref name="fd"/>, for the typed API (null if the fd is not a program).</summary>
    internal LoadedProgram? ProgramOf(int fd) => fd >= 0 && GetProgram((uint)fd, out LoadedProgram? program) == 0 ? program : null;

    // kernel: btf_get_by_fd.
    private int GetBtf(uint fd, out BtfObject? btf) => GetTyped(fd, out btf, out _);

    private int GetTyped<T>(uint fd, out T? obj, out FdMode mode) where T : BpfObject
    {
        obj = null;
        int err = _fds.Get((int)fd, out BpfObject? any, out mode);
        if (err < 0) return err;
        if (any is T typed)
        {
            obj = typed;
            return 0;
        }
        any?.Release();
        return -Errno.EINVAL;
    }

    // Gives a map a fd; the caller's reference becomes the fd's, and the fd is a user reference.
    private int InstallMap(Map map, FdMode mode)
    {
        map.AcquireUser();
        int fd = _fds.Install(map, mode);
        if (fd < 0) DropUserReference(map);
        return fd;
    }

    // Gives a program or BTF object a fd; the caller's reference becomes the fd's.
    private int InstallObject(BpfObject obj)
    {
        int fd = _fds.Install(obj, FdMode.ReadWrite);
        if (fd < 0) obj.Release();
        return fd;
    }

    // An fd or pin goes away.
    private static void DropUserReference(BpfObject obj)
    {
        if (obj is Map map) map.ReleaseUser();
        obj.Release();
    }

    // For fd-valued maps (PROG_ARRAY, map-in-map) and inner_map_fd: the object behind a fd, with a
    // reference; a standard stream is an open file of another kind; null if the fd is not open.
    private BpfObject? ResolveFd(int fd)
    {
        if (_fds.Get(fd, out BpfObject? obj, out _) < 0) return null;
        if (obj is not null) return obj;
        _standardStream.Acquire();
        return _standardStream;
    }

    // The object's last reference is going: nothing may find it any more.
    private void OnReleasing(BpfObject obj)
    {
        switch (obj)
        {
            case Map map:
                Maps.Remove(map);
                _mapIds.Remove(map);
                BtfObject? btf;
                lock (_mapBtf)
                    _mapBtf.Remove(map, out btf);
                btf?.Release();
                break;
            case LoadedProgram program:
                _progIds.Remove(program);
                break;
            case BtfObject btfObject:
                _btfIds.Remove(btfObject);
                break;
        }
    }
}
