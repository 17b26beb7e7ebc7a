using System.Runtime.InteropServices;

namespace BpfSharp.Syscall;

/// <summary>The <c>batch</c> view of <c>union bpf_attr</c> (BPF_MAP_*_BATCH).</summary>
[StructLayout(LayoutKind.Explicit, Size = 56)]
public struct MapBatchAttr
{
    /// <summary>End of the last field (kernel: BPF_MAP_BATCH_LAST_FIELD batch.flags).</summary>
    internal const int End = 56;

    /// <summary>in_batch: where to resume (the out_batch of the previous call), or 0 to start at the beginning.</summary>
    [FieldOffset(0)] public ulong InBatch;
    /// <summary>out_batch: receives the position to resume from.</summary>
    [FieldOffset(8)] public ulong OutBatch;
    /// <summary>keys: an array of count keys.</summary>
    [FieldOffset(16)] public ulong Keys;
    /// <summary>values: an array of count values.</summary>
    [FieldOffset(24)] public ulong Values;
    /// <summary>count: in, the number of elements the arrays hold; out, the number processed.</summary>
    [FieldOffset(32)] public uint Count;
    /// <summary>map_fd.</summary>
    [FieldOffset(36)] public uint MapFd;
    /// <summary>elem_flags: per-element flags (BPF_F_LOCK).</summary>
    [FieldOffset(40)] public ulong ElemFlags;
    /// <summary>flags: must be 0.</summary>
    [FieldOffset(48)] public ulong Flags;
}
