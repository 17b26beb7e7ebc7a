using System.Text;

namespace BpfSharp.Runtime.Helpers;

/// <summary>
/// What the task helpers report as the current task (the kernel's <c>current</c>): thread id (pid), process id
/// (tgid), uid, gid and comm. Immutable; the host supplies it through <see cref="HelperEnvironment.Task"/>.
/// </summary>
public sealed class BpfTask
{
    /// <summary>TASK_COMM_LEN: bytes of a comm including its NUL.</summary>
    public const int CommLength = 16;

    private readonly byte[] _comm;

    /// <summary>Describes a task; <paramref name="comm"/> is cut to 15 bytes (UTF-8), as the kernel keeps it.</summary>
    public BpfTask(uint pid, uint tgid, uint uid, uint gid, string comm)
    {
        ArgumentNullException.ThrowIfNull(comm);
        Pid = pid;
        Tgid = tgid;
        Uid = uid;
        Gid = gid;
        byte[] bytes = Encoding.UTF8.GetBytes(comm);
        _comm = bytes.AsSpan(0, Math.Min(bytes.Length, CommLength - 1)).ToArray();
        Comm = Encoding.UTF8.GetString(_comm);
    }

    /// <summary>The thread id (the kernel's task pid).</summary>
    public uint Pid { get; }
    /// <summary>The process id (the kernel's tgid).</summary>
    public uint Tgid { get; }
    /// <summary>The user id.</summary>
    public uint Uid { get; }
    /// <summary>The group id.</summary>
    public uint Gid { get; }
    /// <summary>The command name (at most 15 bytes).</summary>
    public string Comm { get; }

    /// <summary>
    /// The address of the host's image of the task's <c>struct task_struct</c>, which bpf_get_current_task and
    /// bpf_get_current_task_btf return: tracing programs read it through probe loads and probe reads, so register
    /// its memory with <see cref="RunContext.ProbeMemory"/>. 0 (the default) when the host has none: every field
    /// read through it is then 0, as a probe load of unmapped memory reads in the kernel.
    /// </summary>
    public ulong Address { get; init; }
    /// <summary>The comm bytes without NUL.</summary>
    public ReadOnlySpan<byte> CommBytes => _comm;

    /// <summary>
    /// The calling process: pid and tgid = its id, uid and gid from /proc/self/status where there is one (else 0),
    /// comm from /proc/self/comm (else the process name).
    /// </summary>
    public static BpfTask CurrentProcess()
    {
        uint id = (uint)Environment.ProcessId;
        uint uid = 0, gid = 0;
        string comm = "";
        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("Uid:", StringComparison.Ordinal)) uid = FirstNumber(line);
                else if (line.StartsWith("Gid:", StringComparison.Ordinal)) gid = FirstNumber(line);
            }
            comm = File.ReadAllText("/proc/self/comm").TrimEnd('\n');
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        if (comm.Length == 0)
            comm = System.Diagnostics.Process.GetCurrentProcess().ProcessName;
        return new BpfTask(id, id, uid, gid, comm);
    }

    private static uint FirstNumber(string line)
    {
        string[] parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length > 1 && uint.TryParse(parts[1], System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out uint value) ? value : 0;
    }

    /// <summary><c>comm-pid</c>, as the trace pipe shows tasks.</summary>
    public override string ToString() => $"{Comm}-{Pid}";
}
