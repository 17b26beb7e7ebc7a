using System.Runtime.InteropServices;
using System.Text;

namespace BpfSharp.Tests.Kernel;

/// <summary>
/// The live kernel's BPF_BTF_LOAD as a test oracle (x86-64 Linux, root): the BTF_LOAD member of
/// <c>union bpf_attr</c> in linux/bpf.h. Use only where <see cref="KernelBpf.IsAvailable"/>.
/// </summary>
internal static unsafe class KernelBtfOracle
{
    private const int BpfBtfLoad = 18; // enum bpf_cmd: BPF_BTF_LOAD

    /// <summary>
    /// BPF_BTF_LOAD: returns the BTF fd, or -errno. A failed load is repeated with log_level 1 to fetch
    /// the verifier log into <paramref name="log"/> (empty when the kernel logged nothing).
    /// </summary>
    public static int BtfLoad(byte[] blob, out string log)
    {
        log = "";
        int fd = LoadOnce(blob, null);
        if (fd >= 0) return fd;
        var buffer = new byte[1 << 20];
        int again = LoadOnce(blob, buffer);
        int end = Array.IndexOf(buffer, (byte)0);
        log = Encoding.UTF8.GetString(buffer, 0, end < 0 ? buffer.Length : end);
        if (again >= 0) KernelBpf.Close(again);
        return fd;
    }

    /// <summary>The last non-empty line of a verifier log.</summary>
    public static string LastLine(string log)
    {
        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "" : lines[^1];
    }

    private static int LoadOnce(byte[] blob, byte[]? logBuffer)
    {
        BtfLoadAttr attr = default;
        fixed (byte* blobPtr = blob)
        fixed (byte* logPtr = logBuffer)
        {
            attr.Btf = (ulong)blobPtr;
            attr.BtfSize = (uint)blob.Length;
            if (logBuffer is not null)
            {
                attr.BtfLogBuf = (ulong)logPtr;
                attr.BtfLogSize = (uint)logBuffer.Length;
                attr.BtfLogLevel = 1;
            }
            return KernelBpf.Bpf(BpfBtfLoad, &attr, sizeof(BtfLoadAttr));
        }
    }

    /// <summary>The BPF_BTF_LOAD member of <c>union bpf_attr</c> (offsets from linux/bpf.h).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 40)]
    private struct BtfLoadAttr
    {
        [FieldOffset(0)] public ulong Btf;
        [FieldOffset(8)] public ulong BtfLogBuf;
        [FieldOffset(16)] public uint BtfSize;
        [FieldOffset(20)] public uint BtfLogSize;
        [FieldOffset(24)] public uint BtfLogLevel;
        [FieldOffset(28)] public uint BtfLogTrueSize;
        [FieldOffset(32)] public uint BtfFlags;
        [FieldOffset(36)] public int BtfTokenFd;
    }
}

/// <summary>
/// The live kernel's view of a map value's special fields: a one-entry hash map created with BTF, a
/// value of 0xff bytes stored and read back. The kernel neither stores nor returns the bytes of a
/// special field (bpf_spin_lock, bpf_timer, ...): they read back as zeros.
/// </summary>
internal static unsafe class KernelMapValueOracle
{
    private const uint MapTypeHash = 1;

    /// <summary>
    /// Loads <paramref name="btf"/>, creates the map (int key <paramref name="keyTypeId"/>, value
    /// <paramref name="valueTypeId"/> of <paramref name="valueSize"/> bytes), stores 0xff bytes and returns
    /// what a lookup gives back; null with <paramref name="error"/> (-errno) and <paramref name="step"/>
    /// (the command) set if a command fails.
    /// </summary>
    public static byte[]? StoreAndLoad(byte[] btf, uint keyTypeId, uint valueTypeId, uint valueSize, out int error, out string step)
    {
        step = "BTF_LOAD";
        int btfFd = KernelBtfOracle.BtfLoad(btf, out _);
        error = btfFd;
        if (btfFd < 0) return null;
        try
        {
            step = "MAP_CREATE";
            int mapFd = KernelBpf.MapCreate(MapTypeHash, 4, valueSize, 1,
                btfFd: btfFd, btfKeyTypeId: keyTypeId, btfValueTypeId: valueTypeId);
            error = mapFd;
            if (mapFd < 0) return null;
            try
            {
                byte[] key = new byte[4];
                step = "MAP_UPDATE_ELEM";
                error = KernelBpf.MapUpdate(mapFd, key, Enumerable.Repeat((byte)0xff, (int)valueSize).ToArray());
                if (error < 0) return null;
                var back = new byte[valueSize];
                step = "MAP_LOOKUP_ELEM";
                error = KernelBpf.MapLookup(mapFd, key, back);
                return error < 0 ? null : back;
            }
            finally
            {
                KernelBpf.Close(mapFd);
            }
        }
        finally
        {
            KernelBpf.Close(btfFd);
        }
    }
}
