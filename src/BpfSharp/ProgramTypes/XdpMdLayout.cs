namespace BpfSharp.ProgramTypes;

/// <summary>The byte offsets of <c>struct xdp_md</c> (include/uapi/linux/bpf.h), the context of XDP programs; every field is a <c>__u32</c>.</summary>
public static class XdpMdLayout
{
    /// <summary>sizeof(struct xdp_md).</summary>
    public const int Size = 24;

    /// <summary>data: the start of the packet.</summary>
    public const int Data = 0;
    /// <summary>data_end: one past the packet.</summary>
    public const int DataEnd = 4;
    /// <summary>data_meta: the start of the metadata in front of the packet.</summary>
    public const int DataMeta = 8;
    /// <summary>ingress_ifindex.</summary>
    public const int IngressIfindex = 12;
    /// <summary>rx_queue_index.</summary>
    public const int RxQueueIndex = 16;
    /// <summary>egress_ifindex (devmap programs only).</summary>
    public const int EgressIfindex = 20;
}
