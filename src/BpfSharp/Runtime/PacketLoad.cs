using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace BpfSharp.Runtime;

/// <summary>
/// The legacy packet loads LD_ABS and LD_IND (RFC 9669 section 5.5): a big-endian read of 1, 2
/// or 4 bytes from the run's packet. The offset is taken as the kernel's helper takes it, a
/// signed 32-bit value (imm for ABS, the low 32 bits of src + imm for IND). A load that is not
/// wholly inside the packet (or with no packet) ends the program with r0 = 0. Classic BPF's negative offsets
/// address an skb's headers: from <see cref="SkfNetOff"/> its network header, from <see cref="SkfLlOff"/> its
/// link-layer (MAC) header.
/// </summary>
public static unsafe class PacketLoad
{
    /// <summary>SKF_NET_OFF: offsets from here up to 0 read from the skb's network header.</summary>
    public const int SkfNetOff = -0x100000;

    /// <summary>SKF_LL_OFF: offsets from here up to <see cref="SkfNetOff"/> read from the skb's link-layer header.</summary>
    public const int SkfLlOff = -0x200000;

    /// <summary>
    /// LD_ABS / LD_IND of <paramref name="size"/> bytes at <paramref name="offset"/> in the run's packet; a negative
    /// offset addresses the headers of the run's skb (kernel: bpf_internal_load_pointer_neg_helper). False if the
    /// bytes are not all inside the packet's buffer.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryLoad(RunContext run, int offset, int size, out ulong value) =>
        offset >= 0 ? TryLoad(run.PacketStart, run.PacketLength, offset, size, out value) : TryLoadNegative(run, offset, size, out value);

    // The header the offset names, then the bytes from it up to the skb's tail (kernel: ptr >= skb->head and
    // ptr + size <= skb_tail_pointer(skb)).
    private static bool TryLoadNegative(RunContext run, int offset, int size, out ulong value)
    {
        value = 0;
        if (offset < SkfLlOff || run.SkBuff is not { } skb)
            return false;
        int? header = offset >= SkfNetOff ? skb.NetworkHeaderOffset : skb.MacHeaderOffset;
        if (header is not int start)
            return false;
        long at = start + (long)offset - (offset >= SkfNetOff ? SkfNetOff : SkfLlOff);
        if (at < -skb.Headroom || at + size > skb.Length)
            return false;
        return TryLoad((ulong)((long)skb.Data + at), (ulong)size, 0, size, out value);
    }

    /// <summary>Loads <paramref name="size"/> bytes at <paramref name="offset"/> of the packet; false if out of bounds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryLoad(ulong packetStart, ulong packetLength, int offset, int size, out ulong value)
    {
        if (offset < 0 || (ulong)offset + (ulong)size > packetLength)
        {
            value = 0;
            return false;
        }
        var bytes = new ReadOnlySpan<byte>((byte*)(packetStart + (ulong)offset), size);
        value = size switch
        {
            1 => bytes[0],
            2 => BinaryPrimitives.ReadUInt16BigEndian(bytes),
            _ => BinaryPrimitives.ReadUInt32BigEndian(bytes),
        };
        return true;
    }

    /// <summary>The offset LD_IND reads at: the low 32 bits of src + imm, as a signed value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int IndirectOffset(ulong src, int imm) => (int)(uint)(src + (ulong)(long)imm);
}
