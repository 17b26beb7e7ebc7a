namespace BpfSharp.Uapi;

/// <summary>
/// The kind of memory a struct bpf_dynptr refers to (kernel: enum bpf_dynptr_type). The values are the kernel's:
/// they are also the type bits (28-30) of the <c>size</c> field of the run-time struct bpf_dynptr_kern.
/// </summary>
public enum BpfDynptrType : byte
{
    /// <summary>No dynptr (kernel: BPF_DYNPTR_TYPE_INVALID).</summary>
    Invalid = 0,
    /// <summary>Memory the program owns, a map value (kernel: BPF_DYNPTR_TYPE_LOCAL).</summary>
    Local = 1,
    /// <summary>A reserved ring buffer record (kernel: BPF_DYNPTR_TYPE_RINGBUF).</summary>
    Ringbuf = 2,
    /// <summary>An skb's data (kernel: BPF_DYNPTR_TYPE_SKB).</summary>
    Skb = 3,
    /// <summary>An xdp_buff's data (kernel: BPF_DYNPTR_TYPE_XDP).</summary>
    Xdp = 4,
    /// <summary>An skb's metadata (kernel: BPF_DYNPTR_TYPE_SKB_META).</summary>
    SkbMeta = 5,
    /// <summary>A file's contents (kernel: BPF_DYNPTR_TYPE_FILE).</summary>
    File = 6,
}

/// <summary>Log names of <see cref="BpfDynptrType"/>.</summary>
public static class BpfDynptrTypeExtensions
{
    /// <summary>The kernel's name (kernel: dynptr_type_str): <c>local</c>, <c>ringbuf</c>, ...</summary>
    public static string LogName(this BpfDynptrType type) => type switch
    {
        BpfDynptrType.Invalid => "<invalid>",
        BpfDynptrType.Local => "local",
        BpfDynptrType.Ringbuf => "ringbuf",
        BpfDynptrType.Skb => "skb",
        BpfDynptrType.Xdp => "xdp",
        BpfDynptrType.SkbMeta => "skb_meta",
        BpfDynptrType.File => "file",
        _ => "<unknown>",
    };
}
