using System.Text;
using BpfSharp.Syscall;
using BpfSharp.Uapi;

namespace BpfSharp;

// BPF_OBJ_PIN and BPF_OBJ_GET for the typed API (maps and programs alike).
public partial class BpfMap
{
    /// <summary>BPF_OBJ_PIN of <paramref name="fd"/> at <paramref name="path"/>; throws on failure.</summary>
    internal static unsafe void ObjPin(BpfSystem system, int fd, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        fixed (byte* p = NulTerminated(path))
        {
            ObjAttr a = default;
            a.Pathname = (ulong)p;
            a.BpfFd = (uint)fd;
            Check(BpfCommand.ObjPin, system.Bpf(BpfCommand.ObjPin, AttrBytes(&a, sizeof(ObjAttr))));
        }
    }

    /// <summary>BPF_OBJ_GET of <paramref name="path"/>: the new fd; throws on failure.</summary>
    internal static unsafe int ObjGet(BpfSystem system, string path, uint fileFlags)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(path);
        fixed (byte* p = NulTerminated(path))
        {
            ObjAttr a = default;
            a.Pathname = (ulong)p;
            a.FileFlags = fileFlags;
            int fd = system.Bpf(BpfCommand.ObjGet, AttrBytes(&a, sizeof(ObjAttr)));
            Check(BpfCommand.ObjGet, fd);
            return fd;
        }
    }

    // A path as the kernel reads it: bytes up to a NUL.
    private static byte[] NulTerminated(string path)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, bytes);
        return bytes;
    }
}
