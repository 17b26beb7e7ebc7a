using System.Globalization;

namespace BpfSharp.Runtime.Helpers;

/// <summary>One bpf_trace_printk message in the <see cref="TracePipe"/>, with the task, CPU and time it was written at.</summary>
/// <param name="TimestampNs">Monotonic time of the write, in ns.</param>
/// <param name="Cpu">The run's CPU.</param>
/// <param name="Pid">The task's pid.</param>
/// <param name="Comm">The task's comm.</param>
/// <param name="Message">The formatted text (as the program formatted it; a final newline included).</param>
public sealed record TraceRecord(ulong TimestampNs, int Cpu, uint Pid, string Comm, string Message)
{
    /// <summary>
    /// The line as /sys/kernel/tracing/trace_pipe shows it: <c>comm-pid [cpu] timestamp: bpf_trace_printk: message</c>
    /// (without the final newline).
    /// </summary>
    public override string ToString()
    {
        string message = Message.EndsWith('\n') ? Message[..^1] : Message;
        ulong seconds = TimestampNs / 1_000_000_000, micros = TimestampNs % 1_000_000_000 / 1000;
        return string.Create(CultureInfo.InvariantCulture,
            $"{Comm,16}-{Pid,-7} [{Cpu:D3}] ..... {seconds,5}.{micros:D6}: bpf_trace_printk: {message}");
    }
}
