namespace BpfSharp.Uapi;

/// <summary>The BPF_RB_* constants of include/uapi/linux/bpf.h: commit flags and bpf_ringbuf_query selectors.</summary>
public static class RingBufFlags
{
    /// <summary>BPF_RB_NO_WAKEUP: commit without notifying the consumer.</summary>
    public const ulong BPF_RB_NO_WAKEUP = 1 << 0;
    /// <summary>BPF_RB_FORCE_WAKEUP: commit and notify the consumer even if it has not caught up.</summary>
    public const ulong BPF_RB_FORCE_WAKEUP = 1 << 1;

    /// <summary>BPF_RB_AVAIL_DATA: bytes produced but not yet consumed (producer minus consumer position).</summary>
    public const ulong BPF_RB_AVAIL_DATA = 0;
    /// <summary>BPF_RB_RING_SIZE: the size of the data area (max_entries).</summary>
    public const ulong BPF_RB_RING_SIZE = 1;
    /// <summary>BPF_RB_CONS_POS: the consumer position.</summary>
    public const ulong BPF_RB_CONS_POS = 2;
    /// <summary>BPF_RB_PROD_POS: the producer position.</summary>
    public const ulong BPF_RB_PROD_POS = 3;
}
