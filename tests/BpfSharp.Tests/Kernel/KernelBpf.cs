using System.Runtime.InteropServices;
using System.Text;
using BpfSharp.Isa;

namespace BpfSharp.Tests.Kernel;

/// <summary>
/// The live kernel as a test oracle: the bpf() syscall (x86-64 Linux, root or CAP_BPF) for
/// BPF_PROG_LOAD and BPF_PROG_TEST_RUN, laid out as <c>union bpf_attr</c> in linux/bpf.h.
/// </summary>
internal static unsafe partial class KernelBpf
{
    /// <summary>BPF_PROG_TYPE_SOCKET_FILTER.</summary>
    public const uint ProgTypeSocketFilter = 1;

    private const long SysBpf = 321; // __NR_bpf on x86-64
    private const int BpfProgLoad = 5; // enum bpf_cmd: BPF_PROG_LOAD
    private const int BpfProgTestRun = 10; // enum bpf_cmd: BPF_PROG_TEST_RUN
    private const int BpfBtfLoad = 18; // enum bpf_cmd: BPF_BTF_LOAD
    private const int ENOSPC = 28;
    private const int EAGAIN = 11;
    private const int EINTR = 4;

    [DllImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static extern long Syscall(long number, long cmd, void* attr, long size);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int CloseFd(int fd);

    private static readonly Lazy<bool> Probe = new(ProbeOnce);

    /// <summary>True when this process can load and test-run a socket filter; probed once, never throws.</summary>
    public static bool IsAvailable => Probe.Value;

    private static bool ProbeOnce()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
            return false;
        try
        {
            int fd = ProgLoad(ProgTypeSocketFilter, [Asm.Mov64Imm(Reg.R0, 0), Asm.Exit()], out _);
            if (fd < 0) return false; // EPERM, ENOSYS, EINVAL on an odd kernel: unavailable
            Close(fd);
            return true;
        }
        catch (Exception)
        {
            return false; // no libc, no syscall entry point, ...: unavailable, never an error
        }
    }

    /// <summary>
    /// BPF_PROG_LOAD: returns the program fd, or -errno. The first attempt runs without a log
    /// (a too-small log fails the load with ENOSPC); on failure the load is repeated with
    /// log_level 1 to fetch the verifier log into <paramref name="log"/>.
    /// </summary>
    public static int ProgLoad(uint progType, ReadOnlySpan<Instruction> insns, out string log, string license = "GPL") =>
        ProgLoad(progType, insns, new ProgLoadOptions(License: license), out log);

    /// <summary>
    /// BPF_PROG_LOAD with the attributes of <paramref name="options"/> (fd_array, expected_attach_type,
    /// prog_flags, license): the program fd, or -errno. Like the overload without options, the log is
    /// fetched (at <see cref="ProgLoadOptions.LogLevel"/>) only when the load without one fails, and the
    /// errno is that of the load with the log unless the log did not fit.
    /// </summary>
    public static int ProgLoad(uint progType, ReadOnlySpan<Instruction> insns, ProgLoadOptions options, out string log)
    {
        ArgumentNullException.ThrowIfNull(options);
        log = "";
        int fd = ProgLoadOnce(progType, insns, options, null);
        if (fd >= 0) return fd;
        var buffer = new byte[1 << 20];
        int again = ProgLoadOnce(progType, insns, options, buffer);
        int end = Array.IndexOf(buffer, (byte)0);
        log = Encoding.UTF8.GetString(buffer, 0, end < 0 ? buffer.Length : end);
        if (again >= 0) { Close(again); return fd; } // succeeded with a log only: report the first errno
        return again == -ENOSPC ? fd : again;
    }

    /// <summary>
    /// BPF_PROG_LOAD with <paramref name="expectedAttachType"/> and a verifier log at <paramref name="logLevel"/>
    /// (1, or 2 for the state after every instruction) written to <paramref name="logBuffer"/>, in a single load
    /// whatever the verdict: returns the program fd (closed here) or -errno; <paramref name="log"/> is the log.
    /// <paramref name="progFlags"/> are the load's prog_flags (BPF_F_TEST_STATE_FREQ, ...).
    /// </summary>
    public static int ProgLoadLogged(uint progType, ReadOnlySpan<Instruction> insns, uint expectedAttachType, uint logLevel,
        byte[] logBuffer, out string log, string license = "GPL", uint progFlags = 0)
    {
        logBuffer[0] = 0;
        int fd = ProgLoadOnce(progType, insns, new ProgLoadOptions(ExpectedAttachType: expectedAttachType, License: license,
            LogLevel: logLevel, ProgFlags: progFlags), logBuffer);
        int end = Array.IndexOf(logBuffer, (byte)0);
        log = Encoding.UTF8.GetString(logBuffer, 0, end < 0 ? logBuffer.Length : end);
        if (fd >= 0) Close(fd);
        return fd;
    }

    /// <summary>
    /// BPF_PROG_LOAD with <paramref name="options"/> in a single load with a log at <see cref="ProgLoadOptions.LogLevel"/>
    /// written to <paramref name="logBuffer"/>, whatever the verdict: the program fd (closed here) or -errno.
    /// </summary>
    public static int ProgLoadLogged(uint progType, ReadOnlySpan<Instruction> insns, ProgLoadOptions options, byte[] logBuffer,
        out string log)
    {
        ArgumentNullException.ThrowIfNull(options);
        logBuffer[0] = 0;
        int fd = ProgLoadOnce(progType, insns, options, logBuffer);
        int end = Array.IndexOf(logBuffer, (byte)0);
        log = Encoding.UTF8.GetString(logBuffer, 0, end < 0 ? logBuffer.Length : end);
        if (fd >= 0) Close(fd);
        return fd;
    }

    private static int ProgLoadOnce(uint progType, ReadOnlySpan<Instruction> insns, ProgLoadOptions options, byte[]? logBuffer)
    {
        byte[] licenseBytes = Encoding.ASCII.GetBytes(options.License + "\0");
        ProgLoadAttr attr = default;
        fixed (Instruction* insnPtr = insns)
        fixed (byte* licensePtr = licenseBytes)
        fixed (byte* logPtr = logBuffer)
        fixed (int* fdArrayPtr = options.FdArray)
        fixed (uint* funcPtr = options.FuncInfo)
        fixed (uint* linePtr = options.LineInfo)
        {
            if (options.BtfFd > 0)
            {
                attr.ProgBtfFd = (uint)options.BtfFd;
                if (options.FuncInfo is { Length: > 0 } f)
                    (attr.FuncInfo, attr.FuncInfoRecSize, attr.FuncInfoCnt) = ((ulong)funcPtr, options.FuncInfoRecSize, options.FuncInfoCount ?? (uint)f.Length / 2);
                if (options.LineInfo is { Length: > 0 } l) (attr.LineInfo, attr.LineInfoRecSize, attr.LineInfoCnt) = ((ulong)linePtr, 16u, (uint)l.Length / 4);
            }
            attr.ProgType = progType;
            attr.InsnCnt = (uint)insns.Length;
            attr.Insns = (ulong)insnPtr;
            attr.License = (ulong)licensePtr;
            attr.ProgFlags = options.ProgFlags;
            attr.ExpectedAttachType = options.ExpectedAttachType;
            attr.AttachBtfId = options.AttachBtfId;
            attr.FdArray = options.FdArray is { Length: > 0 } ? (ulong)fdArrayPtr : 0;
            if (logBuffer is not null)
            {
                attr.LogLevel = options.LogLevel;
                attr.LogSize = (uint)logBuffer.Length;
                attr.LogBuf = (ulong)logPtr;
            }
            return Bpf(BpfProgLoad, &attr, sizeof(ProgLoadAttr));
        }
    }

    /// <summary>
    /// BPF_PROG_TEST_RUN: runs program <paramref name="fd"/> <paramref name="repeat"/> times on
    /// <paramref name="dataIn"/>; returns the 32-bit retval, the packet after the run, the mean
    /// duration in ns, and 0 or -errno.
    /// </summary>
    public static TestRunResult ProgTestRun(int fd, ReadOnlySpan<byte> dataIn, uint repeat = 1)
    {
        var dataOut = new byte[dataIn.Length + 512];
        TestRunAttr attr = default;
        fixed (byte* inPtr = dataIn)
        fixed (byte* outPtr = dataOut)
        {
            attr.ProgFd = (uint)fd;
            attr.DataSizeIn = (uint)dataIn.Length;
            attr.DataSizeOut = (uint)dataOut.Length;
            attr.DataIn = (ulong)inPtr;
            attr.DataOut = (ulong)outPtr;
            attr.Repeat = repeat;
            int rc = Bpf(BpfProgTestRun, &attr, sizeof(TestRunAttr));
            if (rc < 0) return new TestRunResult(rc, 0, [], 0);
        }
        return new TestRunResult(0, attr.Retval, dataOut.AsSpan(0, (int)attr.DataSizeOut).ToArray(), attr.Duration);
    }

    /// <summary>Closes a file descriptor returned by <see cref="ProgLoad"/>.</summary>
    public static void Close(int fd) => CloseFd(fd);

    /// <summary>
    /// The raw syscall: its result or -errno. A PROG_LOAD or BTF_LOAD that the kernel gave up on because a
    /// signal was pending (the .NET runtime signals threads to suspend them for GC) fails with EAGAIN or
    /// EINTR; that is not a verdict, so the load is repeated.
    /// </summary>
    internal static int Bpf(int cmd, void* attr, int size)
    {
        for (int attempt = 0; ; attempt++)
        {
            long rc = Syscall(SysBpf, cmd, attr, size);
            if (rc >= 0) return (int)rc;
            int errno = Marshal.GetLastPInvokeError();
            if (cmd is not (BpfProgLoad or BpfBtfLoad) || errno is not (EAGAIN or EINTR) || attempt >= 100)
                return -errno;
        }
    }

    /// <summary>The BPF_PROG_LOAD member of <c>union bpf_attr</c> (offsets from linux/bpf.h, through core_relo_rec_size).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 144)]
    private struct ProgLoadAttr
    {
        [FieldOffset(0)] public uint ProgType;
        [FieldOffset(4)] public uint InsnCnt;
        [FieldOffset(8)] public ulong Insns;
        [FieldOffset(16)] public ulong License;
        [FieldOffset(24)] public uint LogLevel;
        [FieldOffset(28)] public uint LogSize;
        [FieldOffset(32)] public ulong LogBuf;
        [FieldOffset(40)] public uint KernVersion;
        [FieldOffset(44)] public uint ProgFlags;
        [FieldOffset(48)] public fixed byte ProgName[16];
        [FieldOffset(64)] public uint ProgIfindex;
        [FieldOffset(68)] public uint ExpectedAttachType;
        [FieldOffset(72)] public uint ProgBtfFd;
        [FieldOffset(76)] public uint FuncInfoRecSize;
        [FieldOffset(80)] public ulong FuncInfo;
        [FieldOffset(88)] public uint FuncInfoCnt;
        [FieldOffset(92)] public uint LineInfoRecSize;
        [FieldOffset(96)] public ulong LineInfo;
        [FieldOffset(104)] public uint LineInfoCnt;
        [FieldOffset(108)] public uint AttachBtfId;
        [FieldOffset(120)] public ulong FdArray;
    }

    /// <summary>The BPF_PROG_TEST_RUN member of <c>union bpf_attr</c> (offsets from linux/bpf.h).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 80)]
    private struct TestRunAttr
    {
        [FieldOffset(0)] public uint ProgFd;
        [FieldOffset(4)] public uint Retval;
        [FieldOffset(8)] public uint DataSizeIn;
        [FieldOffset(12)] public uint DataSizeOut;
        [FieldOffset(16)] public ulong DataIn;
        [FieldOffset(24)] public ulong DataOut;
        [FieldOffset(32)] public uint Repeat;
        [FieldOffset(36)] public uint Duration;
        [FieldOffset(40)] public uint CtxSizeIn;
        [FieldOffset(44)] public uint CtxSizeOut;
        [FieldOffset(48)] public ulong CtxIn;
        [FieldOffset(56)] public ulong CtxOut;
        [FieldOffset(64)] public uint Flags;
        [FieldOffset(68)] public uint Cpu;
        [FieldOffset(72)] public uint BatchSize;
    }
}

/// <summary>
/// The BPF_PROG_LOAD attributes beyond the program itself: <paramref name="FdArray"/> (the map fds that
/// <c>map[idx:N]</c> loads name, by index), expected_attach_type, prog_flags (BPF_F_STRICT_ALIGNMENT, ...),
/// the license, the log level of the load that fetches the log, and the program's BTF with its func_info
/// (<paramref name="FuncInfoRecSize"/> bytes a record; <paramref name="FuncInfoCount"/> records, by default as many
/// 8-byte records as <paramref name="FuncInfo"/> holds) and line_info.
/// </summary>
internal sealed record ProgLoadOptions(
    int[]? FdArray = null, uint ExpectedAttachType = 0, uint ProgFlags = 0, string License = "GPL", uint LogLevel = 1,
    int BtfFd = 0, uint[]? FuncInfo = null, uint[]? LineInfo = null, uint FuncInfoRecSize = 8, uint? FuncInfoCount = null,
    uint AttachBtfId = 0);

/// <summary>The outcome of one BPF_PROG_TEST_RUN: <see cref="Error"/> is 0 or -errno.</summary>
internal readonly record struct TestRunResult(int Error, uint Retval, byte[] DataOut, uint Duration);
