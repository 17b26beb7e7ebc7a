namespace BpfSharp.Runtime.Helpers;

// Ids (enum bpf_func_id) of the user ring buffer helper.
internal static partial class BpfFunc
{
    public const int BPF_FUNC_user_ringbuf_drain = 209;
}
