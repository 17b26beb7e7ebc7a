using BpfSharp.Memory;
using BpfSharp.Uapi;

namespace BpfSharp.Syscall;

/// <summary>
/// The file descriptors of one system: small integers, the lowest free one first, each holding
/// one reference to its object. Numbering starts at 3 as in a process whose standard streams are
/// open: fds 0-2 stand for those streams, are never BPF objects, and commands treat them as open
/// files of another kind (-EINVAL where a map or program is needed, as the kernel does for stdin).
/// </summary>
internal sealed class FdTable
{
    /// <summary>The first fd a BPF object gets.</summary>
    public const int FirstFd = 3;

    private readonly object _lock = new();
    private Entry[] _entries = new Entry[16];
    private int _count;
    private bool _closed;

    private struct Entry
    {
        public BpfObject? Object;
        public FdMode Mode;
    }

    /// <summary>Number of open BPF fds.</summary>
    public int Count
    {
        get { lock (_lock) return _count; }
    }

    /// <summary>
    /// Gives <paramref name="obj"/> the lowest free fd; the caller's reference becomes the fd's.
    /// -EBADF (reference not taken) once the table is closed.
    /// </summary>
    public int Install(BpfObject obj, FdMode mode)
    {
        lock (_lock)
        {
            if (_closed) return -Errno.EBADF;
            int fd = FirstFd;
            while (fd < _entries.Length && _entries[fd].Object is not null)
                fd++;
            if (fd == _entries.Length)
                Array.Resize(ref _entries, _entries.Length * 2);
            _entries[fd] = new Entry { Object = obj, Mode = mode };
            _count++;
            return fd;
        }
    }

    /// <summary>
    /// kernel: fdget. 0 and the object with a new reference for the caller; 0 and null for the
    /// standard streams 0-2; -EBADF if the fd is not open.
    /// </summary>
    public int Get(int fd, out BpfObject? obj, out FdMode mode)
    {
        obj = null;
        mode = FdMode.None;
        if (fd is >= 0 and < FirstFd) return 0;
        lock (_lock)
        {
            if (fd < 0 || fd >= _entries.Length || _entries[fd].Object is not { } o) return -Errno.EBADF;
            o.Acquire(); // the fd's own reference keeps it alive: this cannot fail
            obj = o;
            mode = _entries[fd].Mode;
            return 0;
        }
    }

    /// <summary>Closes <paramref name="fd"/>: its object, whose reference passes to the caller, or null if it was not open.</summary>
    public BpfObject? Remove(int fd, out FdMode mode)
    {
        mode = FdMode.None;
        lock (_lock)
        {
            if (fd < FirstFd || fd >= _entries.Length || _entries[fd].Object is not { } o) return null;
            mode = _entries[fd].Mode;
            _entries[fd] = default;
            _count--;
            return o;
        }
    }

    /// <summary>Closes every fd and the table itself; the objects' references pass to the caller.</summary>
    public List<BpfObject> CloseAll()
    {
        var objects = new List<BpfObject>();
        lock (_lock)
        {
            _closed = true;
            for (int fd = 0; fd < _entries.Length; fd++)
            {
                if (_entries[fd].Object is { } o) objects.Add(o);
                _entries[fd] = default;
            }
            _count = 0;
        }
        return objects;
    }
}
