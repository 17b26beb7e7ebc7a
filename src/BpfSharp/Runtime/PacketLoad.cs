using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace BpfSharp.Runtime;

/// <summary>
/// The legacy packet loads LD_ABS and LD_IND (RFC 9669 section 5.5): a big-endian read of 1, 2
/// or 4 bytes from the run's packet. The offset is taken as the kernel's helper takes it, a
/// signed 32-bit value (imm for ABS, the low 32 bits of src + imm for IND). A load that is not
/// wholly inside the packet (or with no packet) ends the program with r0 = 0.
/// </summary>
public static unsafe class PacketLoad
{
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
