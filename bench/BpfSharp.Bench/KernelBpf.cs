using System.Runtime.InteropServices;
using System.Text;
using BpfSharp.Isa;
using BpfSharp.Syscall;
using BpfSharp.Uapi;

namespace BpfSharp.Bench;

/// <summary>
/// The live kernel's bpf() (syscall 321 on x86-64) for the benchmark's kernel columns. The attr
/// views of <see cref="BpfAttr"/> have the kernel's layout, so they are passed as they are.
/// Results are an fd, 0, or -errno.
/// </summary>
internal static unsafe class KernelBpf
{
    private const long SysBpf = 321;

    [DllImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static extern long Syscall(long number, long cmd, void* attr, long size);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int CloseFd(int fd);

    /// <summary>bpf(cmd, attr, size).</summary>
    public static int Bpf(BpfCommand cmd, void* attr, int size)
    {
        long r = Syscall(SysBpf, (long)cmd, attr, size);
        return r >= 0 ? (int)r : -Marshal.GetLastPInvokeError();
    }

    /// <summary>True on x86-64 Linux when map creation works (root or CAP_BPF).</summary>
    public static bool IsAvailable()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return false;
        try
        {
            int fd = MapCreate(BpfMapType.Array, 4, 8, 1);
            if (fd < 0) return false;
            Close(fd);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>close(fd).</summary>
    public static void Close(int fd) => CloseFd(fd);

    /// <summary>BPF_MAP_CREATE.</summary>
    public static int MapCreate(BpfMapType type, uint keySize, uint valueSize, uint maxEntries)
    {
        MapCreateAttr a = default;
        a.MapType = (uint)type;
        a.KeySize = keySize;
        a.ValueSize = valueSize;
        a.MaxEntries = maxEntries;
        return Bpf(BpfCommand.MapCreate, &a, sizeof(MapCreateAttr));
    }

    /// <summary>BPF_MAP_LOOKUP_ELEM / UPDATE_ELEM on caller memory.</summary>
    public static int Elem(BpfCommand cmd, int fd, void* key, void* value, ulong flags = 0)
    {
        MapElemAttr a = default;
        a.MapFd = (uint)fd;
        a.Key = (ulong)key;
        a.Value = (ulong)value;
        a.Flags = flags;
        return Bpf(cmd, &a, sizeof(MapElemAttr));
    }

    /// <summary>BPF_PROG_LOAD of a socket filter; the fd, or throws with the verifier log.</summary>
    public static int LoadSocketFilter(Instruction[] insns) => Load(BpfProgType.SocketFilter, insns);

    /// <summary>BPF_PROG_LOAD of a program of <paramref name="type"/>; the fd, or throws with the verifier log.</summary>
    public static int Load(BpfProgType type, Instruction[] insns)
    {
        byte[] license = Encoding.ASCII.GetBytes("GPL\0");
        var log = new byte[1 << 20];
        fixed (Instruction* p = insns)
        fixed (byte* l = license)
        fixed (byte* buffer = log)
        {
            ProgLoadAttr a = default;
            a.ProgType = (uint)type;
            a.InsnCnt = (uint)insns.Length;
            a.Insns = (ulong)p;
            a.License = (ulong)l;
            int fd = Bpf(BpfCommand.ProgLoad, &a, sizeof(ProgLoadAttr)); // first without a log: a loop's log may not fit
            if (fd >= 0) return fd;
            int first = fd;
            a.LogLevel = 1;
            a.LogSize = (uint)log.Length;
            a.LogBuf = (ulong)buffer;
            fd = Bpf(BpfCommand.ProgLoad, &a, sizeof(ProgLoadAttr));
            if (fd >= 0) return fd;
            int end = Array.IndexOf(log, (byte)0);
            string text = Encoding.UTF8.GetString(log, 0, Math.Max(end, 0));
            throw new InvalidOperationException($"kernel BPF_PROG_LOAD: {Errno.Name(first)}: {text[Math.Max(0, text.Length - 300)..]}");
        }
    }

    /// <summary>
    /// BPF_PROG_LOAD of a socket filter with log_level 1 | BPF_LOG_STATS (the statistics are kept on success too):
    /// the kernel's closing statistics (<c>verification time ...; stack depth ...; processed N insns ...</c>, joined
    /// by ';'), or "" when there are none.
    /// </summary>
    public static string VerifierStats(Instruction[] insns)
    {
        byte[] license = Encoding.ASCII.GetBytes("GPL\0");
        var log = new byte[1 << 24];
        fixed (Instruction* p = insns)
        fixed (byte* l = license)
        fixed (byte* buffer = log)
        {
            ProgLoadAttr a = default;
            a.ProgType = (uint)BpfProgType.SocketFilter;
            a.InsnCnt = (uint)insns.Length;
            a.Insns = (ulong)p;
            a.License = (ulong)l;
            a.LogLevel = 1 | 4; // BPF_LOG_STATS: the verification time too
            a.LogSize = (uint)log.Length;
            a.LogBuf = (ulong)buffer;
            int fd = Bpf(BpfCommand.ProgLoad, &a, sizeof(ProgLoadAttr));
            if (fd >= 0) Close(fd);
            int end = Array.IndexOf(log, (byte)0);
            string text = Encoding.UTF8.GetString(log, 0, Math.Max(end, 0));
            int at = text.LastIndexOf("verification time ", StringComparison.Ordinal);
            if (at < 0) at = text.LastIndexOf("processed ", StringComparison.Ordinal);
            return at < 0 ? "" : text[at..].TrimEnd('\n').Replace('\n', ';');
        }
    }

    /// <summary>BPF_PROG_TEST_RUN <paramref name="repeat"/> times on a packet of <paramref name="packet"/> bytes; 0 or -errno.</summary>
    public static int TestRun(int fd, byte* packet, uint packetSize, uint repeat)
    {
        TestRunAttr a = default;
        a.ProgFd = (uint)fd;
        a.DataIn = (ulong)packet;
        a.DataSizeIn = packetSize;
        a.Repeat = repeat;
        return Bpf(BpfCommand.ProgTestRun, &a, sizeof(TestRunAttr));
    }

    /// <summary>BPF_PROG_TEST_RUN with repeat: the kernel's mean duration per run in ns and the program's return value.</summary>
    public static int TestRun(int fd, byte* packet, uint packetSize, uint repeat, out uint durationNs, out uint retval)
    {
        TestRunAttr a = default;
        a.ProgFd = (uint)fd;
        a.DataIn = (ulong)packet;
        a.DataSizeIn = packetSize;
        a.Repeat = repeat;
        int err = Bpf(BpfCommand.ProgTestRun, &a, sizeof(TestRunAttr));
        durationNs = a.Duration;
        retval = a.Retval;
        return err;
    }
}
