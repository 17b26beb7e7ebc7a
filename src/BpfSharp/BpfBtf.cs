using System.Text;
using BpfSharp.Syscall;
using BpfSharp.Uapi;

namespace BpfSharp;

/// <summary>
/// A BTF object of a <see cref="BpfSystem"/> (BPF_BTF_LOAD), seen through one fd: what maps name as btf_fd to
/// describe their keys and values, and programs as prog_btf_fd for their functions and source lines.
/// </summary>
public sealed unsafe class BpfBtf : BpfFdObject
{
    private BpfBtf(BpfSystem system, int fd) : base(system, fd) { }

    /// <summary>Loads <paramref name="blob"/> (a raw BTF blob: header, types, strings).</summary>
    /// <exception cref="BpfException">The blob was rejected; the message carries the BTF verifier's log.</exception>
    public static BpfBtf Load(BpfSystem system, ReadOnlySpan<byte> blob)
    {
        ArgumentNullException.ThrowIfNull(system);
        var log = new byte[64 * 1024];
        fixed (byte* b = blob)
        fixed (byte* l = log)
        {
            BtfLoadAttr a = default;
            a.Btf = (ulong)b;
            a.BtfSize = (uint)blob.Length;
            int fd = system.Bpf(BpfCommand.BtfLoad, new Span<byte>(&a, sizeof(BtfLoadAttr)));
            if (fd >= 0) return new BpfBtf(system, fd);
            // As libbpf: load again with a log only to explain the failure.
            a.BtfLogBuf = (ulong)l;
            a.BtfLogSize = (uint)log.Length;
            a.BtfLogLevel = 1;
            int again = system.Bpf(BpfCommand.BtfLoad, new Span<byte>(&a, sizeof(BtfLoadAttr)));
            if (again >= 0) system.Close(again);
            int end = Array.IndexOf(log, (byte)0);
            throw BpfException.For(BpfCommand.BtfLoad, fd, Encoding.UTF8.GetString(log, 0, end < 0 ? log.Length : end).TrimEnd('\n'));
        }
    }
}
