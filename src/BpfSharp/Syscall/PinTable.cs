using BpfSharp.Memory;
using BpfSharp.Uapi;

namespace BpfSharp.Syscall;

/// <summary>
/// The pin namespace of one system (BPF_OBJ_PIN / BPF_OBJ_GET): a small file system in which
/// "/", "/sys" and "/sys/fs" are directories of another file system and "/sys/fs/bpf" is the
/// bpffs root, the one directory objects can be pinned in. A pin holds one reference to its
/// object. Paths are resolved as a file system resolves them (repeated slashes, "." and "..";
/// relative paths start at "/"); there is no mkdir, so pins live directly in the root.
/// </summary>
internal sealed class PinTable
{
    /// <summary>Where bpffs is mounted.</summary>
    public const string Root = "/sys/fs/bpf";

    private static readonly string[] OtherDirectories = ["/", "/sys", "/sys/fs"];

    private readonly object _lock = new();
    private readonly Dictionary<string, BpfObject> _pins = new(StringComparer.Ordinal);

    /// <summary>Number of pins.</summary>
    public int Count
    {
        get { lock (_lock) return _pins.Count; }
    }

    /// <summary>
    /// Pins <paramref name="obj"/> at <paramref name="path"/>; on success the caller's reference
    /// becomes the pin's. -EEXIST if the path exists, -ENOENT if its directory does not (or the path
    /// ends in '/'), -EPERM if
    /// the directory is not on bpffs, -ENOTDIR if a component is a pinned object.
    /// </summary>
    public int Pin(string path, BpfObject obj)
    {
        string full = Normalize(path);
        if (IsDirectory(full)) return -Errno.EEXIST;
        if (path.EndsWith('/')) return -Errno.ENOENT; // a trailing slash names a directory to be
        string parent = Parent(full);
        lock (_lock)
        {
            if (_pins.ContainsKey(parent)) return -Errno.ENOTDIR;
            if (parent != Root)
                return Array.IndexOf(OtherDirectories, parent) >= 0 ? -Errno.EPERM : -Errno.ENOENT;
            if (!_pins.TryAdd(full, obj)) return -Errno.EEXIST;
            return 0;
        }
    }

    /// <summary>The object pinned at <paramref name="path"/> with a new reference; -ENOENT, -EACCES for a directory, -ENOTDIR.</summary>
    public int Get(string path, out BpfObject? obj)
    {
        obj = null;
        string full = Normalize(path);
        if (IsDirectory(full)) return -Errno.EACCES;
        lock (_lock)
        {
            if (_pins.TryGetValue(full, out BpfObject? pinned))
            {
                if (path.EndsWith('/')) return -Errno.ENOTDIR;
                pinned.Acquire(); // the pin's reference keeps it alive
                obj = pinned;
                return 0;
            }
            return _pins.ContainsKey(Parent(full)) ? -Errno.ENOTDIR : -Errno.ENOENT;
        }
    }

    /// <summary>Removes the pin at <paramref name="path"/> (unlink); its reference passes to the caller. Null if there is none.</summary>
    public BpfObject? Remove(string path)
    {
        string full = Normalize(path);
        lock (_lock)
            return _pins.Remove(full, out BpfObject? obj) ? obj : null;
    }

    /// <summary>Removes every pin; the references pass to the caller.</summary>
    public List<BpfObject> Clear()
    {
        lock (_lock)
        {
            List<BpfObject> all = [.. _pins.Values];
            _pins.Clear();
            return all;
        }
    }

    /// <summary>The absolute path with repeated slashes, "." and ".." resolved.</summary>
    public static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (string part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".") continue;
            if (part == "..")
            {
                if (parts.Count > 0) parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return "/" + string.Join('/', parts);
    }

    private static bool IsDirectory(string full) => full == Root || Array.IndexOf(OtherDirectories, full) >= 0;

    private static string Parent(string full)
    {
        int slash = full.LastIndexOf('/');
        return slash <= 0 ? "/" : full[..slash];
    }
}
