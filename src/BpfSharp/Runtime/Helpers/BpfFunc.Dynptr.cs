namespace BpfSharp.Runtime.Helpers;

// Ids (enum bpf_func_id) of the dynptr helpers.
internal static partial class BpfFunc
{
    public const int BPF_FUNC_dynptr_from_mem = 197;
    public const int BPF_FUNC_ringbuf_reserve_dynptr = 198;
    public const int BPF_FUNC_ringbuf_submit_dynptr = 199;
    public const int BPF_FUNC_ringbuf_discard_dynptr = 200;
    public const int BPF_FUNC_dynptr_read = 201;
    public const int BPF_FUNC_dynptr_write = 202;
    public const int BPF_FUNC_dynptr_data = 203;
}
