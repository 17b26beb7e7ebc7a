namespace BpfSharp.ProgramTypes;

/// <summary>
/// The byte offsets of <c>struct __sk_buff</c> (include/uapi/linux/bpf.h), the context of socket filters, tc
/// classifiers and actions, and cgroup/skb programs. Every field is a <c>__u32</c> unless its comment says
/// otherwise.
/// </summary>
public static class SkBuffLayout
{
    /// <summary>sizeof(struct __sk_buff).</summary>
    public const int Size = 192;

    /// <summary>len.</summary>
    public const int Len = 0;
    /// <summary>pkt_type.</summary>
    public const int PktType = 4;
    /// <summary>mark.</summary>
    public const int Mark = 8;
    /// <summary>queue_mapping.</summary>
    public const int QueueMapping = 12;
    /// <summary>protocol.</summary>
    public const int Protocol = 16;
    /// <summary>vlan_present.</summary>
    public const int VlanPresent = 20;
    /// <summary>vlan_tci.</summary>
    public const int VlanTci = 24;
    /// <summary>vlan_proto.</summary>
    public const int VlanProto = 28;
    /// <summary>priority.</summary>
    public const int Priority = 32;
    /// <summary>ingress_ifindex.</summary>
    public const int IngressIfindex = 36;
    /// <summary>ifindex.</summary>
    public const int Ifindex = 40;
    /// <summary>tc_index.</summary>
    public const int TcIndex = 44;
    /// <summary>cb[0]; cb[] is five __u32 (20 bytes) of scratch space.</summary>
    public const int Cb = 48;
    /// <summary>The size of cb[] in bytes.</summary>
    public const int CbSize = 20;
    /// <summary>hash.</summary>
    public const int Hash = 68;
    /// <summary>tc_classid.</summary>
    public const int TcClassid = 72;
    /// <summary>data: the start of the packet (a 32-bit field the verifier turns into a packet pointer).</summary>
    public const int Data = 76;
    /// <summary>data_end: one past the packet.</summary>
    public const int DataEnd = 80;
    /// <summary>napi_id.</summary>
    public const int NapiId = 84;
    /// <summary>family, the first of the socket fields (family .. local_port).</summary>
    public const int Family = 88;
    /// <summary>remote_ip4.</summary>
    public const int RemoteIp4 = 92;
    /// <summary>local_ip4.</summary>
    public const int LocalIp4 = 96;
    /// <summary>remote_ip6[4].</summary>
    public const int RemoteIp6 = 100;
    /// <summary>local_ip6[4].</summary>
    public const int LocalIp6 = 116;
    /// <summary>remote_port.</summary>
    public const int RemotePort = 132;
    /// <summary>local_port, the last of the socket fields.</summary>
    public const int LocalPort = 136;
    /// <summary>data_meta: the start of the packet's metadata.</summary>
    public const int DataMeta = 140;
    /// <summary>flow_keys: a 64-bit pointer (flow dissector programs only).</summary>
    public const int FlowKeys = 144;
    /// <summary>tstamp: __u64.</summary>
    public const int Tstamp = 152;
    /// <summary>wire_len.</summary>
    public const int WireLen = 160;
    /// <summary>gso_segs.</summary>
    public const int GsoSegs = 164;
    /// <summary>sk: a 64-bit pointer to struct bpf_sock.</summary>
    public const int Sk = 168;
    /// <summary>gso_size.</summary>
    public const int GsoSize = 176;
    /// <summary>tstamp_type: __u8, followed by 3 bytes of padding.</summary>
    public const int TstampType = 180;
    /// <summary>hwtstamp: __u64.</summary>
    public const int Hwtstamp = 184;
}
