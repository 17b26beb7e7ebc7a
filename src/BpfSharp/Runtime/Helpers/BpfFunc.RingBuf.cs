namespace BpfSharp.Runtime.Helpers;

// Ids (enum bpf_func_id) of the ring buffer and perf event output helpers.
internal static partial class BpfFunc
{
    public const int BPF_FUNC_perf_event_output = 25;
    public const int BPF_FUNC_ringbuf_output = 130;
    public const int BPF_FUNC_ringbuf_reserve = 131;
    public const int BPF_FUNC_ringbuf_submit = 132;
    public const int BPF_FUNC_ringbuf_discard = 133;
    public const int BPF_FUNC_ringbuf_query = 134;
}
