using BpfSharp.Memory;
using static BpfSharp.Runtime.Helpers.BpfFunc;

namespace BpfSharp.Runtime.Helpers;

/// <summary>The current-task helpers (kernel/bpf/helpers.c), reporting the environment's <see cref="HelperEnvironment.Task"/>.</summary>
public sealed unsafe class ProcessHelpers
{
    private readonly HelperEnvironment _env;

    /// <summary>Helpers reporting <paramref name="env"/>'s task.</summary>
    public ProcessHelpers(HelperEnvironment env) => _env = env ?? throw new ArgumentNullException(nameof(env));

    /// <summary>
    /// Registers get_current_pid_tgid, get_current_uid_gid, get_current_comm, get_current_task and
    /// get_current_task_btf under their kernel ids.
    /// </summary>
    public static void Register(HelperRegistry registry, HelperEnvironment env)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var helpers = new ProcessHelpers(env);
        registry.Register(BPF_FUNC_get_current_pid_tgid, Name(BPF_FUNC_get_current_pid_tgid), helpers.GetCurrentPidTgid)
            .Register(BPF_FUNC_get_current_uid_gid, Name(BPF_FUNC_get_current_uid_gid), helpers.GetCurrentUidGid)
            .Register(BPF_FUNC_get_current_comm, Name(BPF_FUNC_get_current_comm), helpers.GetCurrentComm)
            .Register(BPF_FUNC_get_current_task, Name(BPF_FUNC_get_current_task), helpers.GetCurrentTask)
            .Register(BPF_FUNC_get_current_task_btf, Name(BPF_FUNC_get_current_task_btf), helpers.GetCurrentTask);
    }

    /// <summary>
    /// u64 bpf_get_current_task(void) and struct task_struct *bpf_get_current_task_btf(void): the task's
    /// <see cref="BpfTask.Address"/> (0 when the host gave none).
    /// </summary>
    public ulong GetCurrentTask(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) => _env.Task.Address;

    /// <summary>u64 bpf_get_current_pid_tgid(void): <c>tgid &lt;&lt; 32 | pid</c>.</summary>
    public ulong GetCurrentPidTgid(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        BpfTask task = _env.Task;
        return (ulong)task.Tgid << 32 | task.Pid;
    }

    /// <summary>u64 bpf_get_current_uid_gid(void): <c>gid &lt;&lt; 32 | uid</c>.</summary>
    public ulong GetCurrentUidGid(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        BpfTask task = _env.Task;
        return (ulong)task.Gid << 32 | task.Uid;
    }

    /// <summary>
    /// long bpf_get_current_comm(char *buf, u32 size_of_buf): the comm, NUL-terminated and cut to size-1 bytes,
    /// the rest of the buffer zeroed (strscpy_pad). Returns 0.
    /// </summary>
    public ulong GetCurrentComm(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5)
    {
        uint size = (uint)r2;
        run.CheckAccess(r1, size, AccessKind.Store);
        if (size == 0) return 0;
        var buffer = new Span<byte>((void*)r1, (int)size);
        ReadOnlySpan<byte> comm = _env.Task.CommBytes;
        int copied = Math.Min(comm.Length, buffer.Length - 1);
        comm[..copied].CopyTo(buffer);
        buffer[copied..].Clear();
        return 0;
    }
}
