using BpfSharp.Isa;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// The programs whose 6.18 verifier logs <see cref="StatePrinterTests"/> quotes, as raw instructions
/// (opcode, dst, src, off, imm). <c>MapM</c>, <c>MapArr</c> and <c>MapRb</c> stand for the fds of the maps
/// "m" (hash 4/8), "arr" (array 4/48) and "rb" (ring buffer 4096) in lddw instructions.
/// </summary>
internal static class StatePrinterKernelPrograms
{
    public const int MapM = -1, MapArr = -2, MapRb = -3;

    public const uint SocketFilter = 1, SchedCls = 3, Xdp = 6;

    private static Instruction I(byte op, byte dst = 0, byte src = 0, short off = 0, int imm = 0) => new(op, dst, src, off, imm);

    /// <summary>Program name, program type, instructions.</summary>
    public static IEnumerable<(string Name, uint Type, Instruction[] Insns)> All()
    {
        yield return ("P1", SocketFilter,
        [
            I(0x62, 10, 0, -4, 0), I(0xbf, 2, 10), I(0x07, 2, 0, 0, -4), I(0x18, 1, 1, 0, MapM), I(0),
            I(0x85, 0, 0, 0, 1), I(0xbf, 6, 0), I(0x15, 0, 0, 3, 0), I(0x79, 3, 0, 0, 0),
            I(0x7b, 10, 0, -16, 0), I(0x7b, 10, 3, -24, 0), I(0xb7, 0, 0, 0, 0), I(0x95),
        ]);
        yield return ("P2", SocketFilter,
        [
            I(0x7a, 10, 0, -8, 7), I(0x61, 6, 1, 0), I(0xbf, 1, 10), I(0x07, 1, 0, 0, -8), I(0x85, 0, 1, 0, 3),
            I(0x25, 6, 0, 1, 10), I(0xb7, 0, 0, 0, 1), I(0x95),
            I(0x79, 0, 1, 0, 0), I(0x57, 0, 0, 0, 1), I(0x95),
        ]);
        yield return ("P3", SchedCls,
        [
            I(0x61, 2, 1, 76), I(0x61, 3, 1, 80), I(0x61, 5, 1, 0), I(0xbf, 4, 2), I(0x07, 4, 0, 0, 14),
            I(0x2d, 4, 3, 8, 0), I(0x71, 0, 2, 12, 0), I(0x57, 5, 0, 0, 6), I(0x0f, 2, 5), I(0x63, 10, 5, -8, 0),
            I(0x62, 10, 0, -16, 0), I(0x73, 10, 5, -22, 0), I(0x61, 7, 1, 84), I(0xbf, 8, 10), I(0x0f, 8, 5),
            I(0xb7, 0, 0, 0, 0), I(0x95),
        ]);
        yield return ("P4", SocketFilter,
        [
            I(0x61, 6, 1, 0), I(0x57, 6, 0, 0, 6), I(0xbf, 8, 10), I(0x0f, 8, 6), I(0x25, 6, 0, 1, 3),
            I(0xb7, 7, 0, 0, 1), I(0xbf, 7, 6), I(0x07, 7, 0, 0, 4), I(0x18, 1, 1, 0, MapRb), I(0),
            I(0xb7, 2, 0, 0, 16), I(0xb7, 3, 0, 0, 0), I(0x85, 0, 0, 0, 131), I(0x15, 0, 0, 3, 0),
            I(0xbf, 1, 0), I(0xb7, 2, 0, 0, 0), I(0x85, 0, 0, 0, 133), I(0xb7, 0, 0, 0, 0), I(0x95),
        ]);
        yield return ("P6", Xdp,
        [
            I(0x61, 2, 1, 8), I(0x61, 3, 1, 0), I(0x7b, 10, 10, -16, 0), I(0xb7, 4, 0, 0, 0), I(0xb7, 4, 0, 0, 0),
            I(0x62, 10, 0, -4, 1), I(0xbf, 2, 10), I(0x07, 2, 0, 0, -4), I(0x18, 1, 1, 0, MapArr), I(0),
            I(0x85, 0, 0, 0, 1), I(0x15, 0, 0, 4, 0), I(0x07, 0, 0, 0, 4), I(0x71, 5, 0, 0, 0),
            I(0x57, 5, 0, 0, 8), I(0x0f, 0, 5), I(0xb7, 0, 0, 0, 2), I(0x95),
        ]);
        yield return ("P7", SchedCls,
        [
            I(0x7a, 10, 0, -8, 0), I(0x7a, 10, 0, -16, 0), I(0x7a, 10, 0, -24, 0), I(0x7a, 10, 0, -32, 0),
            I(0x7a, 10, 0, -40, 0), I(0xbf, 2, 10), I(0x07, 2, 0, 0, -40), I(0xb7, 3, 0, 0, 12),
            I(0xb7, 4, 0, 0, 0), I(0xb7, 5, 0, 0, 0), I(0x85, 0, 0, 0, 84), I(0x15, 0, 0, 2, 0), I(0xbf, 1, 0),
            I(0x85, 0, 0, 0, 86), I(0xbf, 1, 10), I(0x07, 1, 0, 0, -8), I(0x85, 0, 1, 0, 2), I(0xb7, 0, 0, 0, 0),
            I(0x95),
            I(0x7b, 10, 1, -8, 0), I(0x7a, 10, 0, -16, 3), I(0xb7, 0, 0, 0, 0), I(0x95),
        ]);
    }
}
