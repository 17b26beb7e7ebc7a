namespace BpfSharp;

/// <summary>
/// A typed-API object that owns one fd of a <see cref="BpfSystem"/> (a map or a program):
/// <see cref="Dispose"/> closes the fd; the kernel object lives on while anything else refers to it.
/// </summary>
public abstract class BpfFdObject : IDisposable
{
    private int _fd;

    private protected BpfFdObject(BpfSystem system, int fd)
    {
        System = system;
        _fd = fd;
    }

    /// <summary>The system the object belongs to.</summary>
    public BpfSystem System { get; }

    /// <summary>The fd this object owns.</summary>
    /// <exception cref="ObjectDisposedException">The object has been disposed (its fd closed).</exception>
    public int Fd
    {
        get
        {
            int fd = Volatile.Read(ref _fd);
            ObjectDisposedException.ThrowIf(fd < 0, this);
            return fd;
        }
    }

    /// <summary>Pins the object at <paramref name="path"/> in the system's pin namespace (BPF_OBJ_PIN).</summary>
    /// <exception cref="BpfException">The path is taken (EEXIST), its directory does not exist (ENOENT), ...</exception>
    public void Pin(string path) => BpfMap.ObjPin(System, Fd, path);

    /// <summary>Closes the fd. The object is freed once nothing else refers to it.</summary>
    public void Dispose()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd >= 0) System.Close(fd);
        GC.SuppressFinalize(this);
    }
}
