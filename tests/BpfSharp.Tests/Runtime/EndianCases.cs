using BpfSharp.Isa;
using static BpfSharp.Isa.Asm;
using static BpfSharp.Isa.Opcodes;
using static BpfSharp.Isa.Reg;
using static BpfSharp.Tests.Runtime.AluCase;

namespace BpfSharp.Tests.Runtime;

/// <summary>
/// Byte swaps (RFC 9669 4.2) on a little-endian host: le16/le32 truncate, le64 is a no-op,
/// be16/32/64 and the ALU64 bswap forms reverse the bytes of the low 16/32/64 bits.
/// </summary>
public static class EndianCases
{
    private const ulong V = 0x1234_5678_9ABC_DEF0;

    public static readonly AluCase[] All = BitConverter.IsLittleEndian ? LittleEndianHost() : [];

    private static AluCase[] LittleEndianHost() =>
    [
        K("le16 truncates", Endian(BPF_TO_LE, R0, 16), V, 0xDEF0),
        K("le32 truncates", Endian(BPF_TO_LE, R0, 32), V, 0x9ABC_DEF0),
        K("le64 is a no-op", Endian(BPF_TO_LE, R0, 64), V, V),
        K("be16 swaps the low 16 bits", Endian(BPF_TO_BE, R0, 16), V, 0xF0DE),
        K("be16 small value", Endian(BPF_TO_BE, R0, 16), 0x1122, 0x2211),
        K("be32 swaps the low 32 bits", Endian(BPF_TO_BE, R0, 32), V, 0xF0DE_BC9A),
        K("be64 swaps all", Endian(BPF_TO_BE, R0, 64), V, 0xF0DE_BC9A_7856_3412),
        K("bswap16", Bswap(R0, 16), V, 0xF0DE),
        K("bswap32", Bswap(R0, 32), V, 0xF0DE_BC9A),
        K("bswap64", Bswap(R0, 64), V, 0xF0DE_BC9A_7856_3412),
    ];
}
