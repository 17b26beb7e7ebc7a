using BpfSharp.Isa;
using static BpfSharp.Isa.Opcodes;
using static BpfSharp.Isa.Reg;
using static BpfSharp.Tests.Kernel.DifferentialCase;

namespace BpfSharp.Tests.Kernel;

// Atomics and loads on the stack, and the legacy packet loads (RFC 9669 sections 5.1-5.5).
internal static partial class DifferentialCases
{
    private const ulong Bits = 0xFF00FF00FF00FF00, Mask = 0x0FF00FF00FF00FF0;
    private const ulong Old = 0x1111111122222222, New = 0x3333333344444444;

    private static IEnumerable<DifferentialCase> Atomics() =>
    [
        Atomic("atomic add64", BPF_DW, BPF_ADD, 0x1FFFFFFFF, 1, readMemory: true, 0x200000000),
        Atomic("atomic fetch_add64 returns the old value", BPF_DW, BPF_ADD | BPF_FETCH, 0x1FFFFFFFF, 1, readMemory: false, 0x1FFFFFFFF),
        Atomic("atomic fetch_add64 memory", BPF_DW, BPF_ADD | BPF_FETCH, 0x1FFFFFFFF, 1, readMemory: true, 0x200000000),
        Atomic("atomic add32 wraps without carry into the next word", BPF_W, BPF_ADD, 0x1FFFFFFFF, 0xFFFFFFFF00000001, readMemory: true, 0x100000000),
        Atomic("atomic fetch_add32 zero-extends the old value", BPF_W, BPF_ADD | BPF_FETCH, 0x1FFFFFFFF, 0xFFFFFFFF00000001, readMemory: false, 0xFFFFFFFF),
        Atomic("atomic and64", BPF_DW, BPF_AND, Bits, Mask, readMemory: true, 0x0F000F000F000F00),
        Atomic("atomic fetch_and64 returns the old value", BPF_DW, BPF_AND | BPF_FETCH, Bits, Mask, readMemory: false, Bits),
        Atomic("atomic and32", BPF_W, BPF_AND, Bits, Mask, readMemory: true, 0xFF00FF000F000F00),
        Atomic("atomic fetch_and32 returns the old value", BPF_W, BPF_AND | BPF_FETCH, Bits, Mask, readMemory: false, 0xFF00FF00),
        Atomic("atomic or64", BPF_DW, BPF_OR, Bits, Mask, readMemory: true, 0xFFF0FFF0FFF0FFF0),
        Atomic("atomic fetch_or32 memory", BPF_W, BPF_OR | BPF_FETCH, Bits, Mask, readMemory: true, 0xFF00FF00FFF0FFF0),
        Atomic("atomic fetch_or32 returns the old value", BPF_W, BPF_OR | BPF_FETCH, Bits, Mask, readMemory: false, 0xFF00FF00),
        Atomic("atomic fetch_xor64 memory", BPF_DW, BPF_XOR | BPF_FETCH, Bits, Mask, readMemory: true, 0xF0F0F0F0F0F0F0F0),
        Atomic("atomic fetch_xor64 returns the old value", BPF_DW, BPF_XOR | BPF_FETCH, Bits, Mask, readMemory: false, Bits),
        Atomic("atomic xor32", BPF_W, BPF_XOR, Bits, Mask, readMemory: true, 0xFF00FF00F0F0F0F0),
        Atomic("atomic xchg64 returns the old value", BPF_DW, BPF_XCHG, Old, New, readMemory: false, Old),
        Atomic("atomic xchg64 memory", BPF_DW, BPF_XCHG, Old, New, readMemory: true, New),
        Atomic("atomic xchg32 returns the old value", BPF_W, BPF_XCHG, Old, New, readMemory: false, 0x22222222),
        Atomic("atomic xchg32 memory", BPF_W, BPF_XCHG, Old, New, readMemory: true, 0x1111111144444444),
        Cmpxchg("cmpxchg64 hit returns the old value", BPF_DW, Old, readMemory: false, Old),
        Cmpxchg("cmpxchg64 hit memory", BPF_DW, Old, readMemory: true, New),
        Cmpxchg("cmpxchg64 miss returns the current value", BPF_DW, 0x1111111122222223, readMemory: false, Old),
        Cmpxchg("cmpxchg64 miss memory", BPF_DW, 0x1111111122222223, readMemory: true, Old),
        Cmpxchg("cmpxchg32 hit compares low halves and zero-extends r0", BPF_W, 0xFFFFFFFF22222222, readMemory: false, 0x22222222),
        Cmpxchg("cmpxchg32 hit memory", BPF_W, 0xFFFFFFFF22222222, readMemory: true, 0x1111111144444444),
        Cmpxchg("cmpxchg32 miss returns the current value zero-extended", BPF_W, 0xFFFFFFFF22222223, readMemory: false, 0x22222222),
        Cmpxchg("cmpxchg32 miss memory", BPF_W, 0xFFFFFFFF22222223, readMemory: true, Old),
    ];

    /// <summary>*(u64 *)(r10 - 8) = memory; r2 = src; atomic op; r0 = r2 (the fetched value) or the memory after.</summary>
    private static DifferentialCase Atomic(string name, byte size, int op, ulong memory, ulong src, bool readMemory, ulong expected) =>
        new(name, expected,
        [
            Set(R1, memory), Opaque(R1), Asm.StxMem(BPF_DW, R10, R1, -8),
            Set(R2, src), Opaque(R2),
            Asm.AtomicOp(size, op, R10, R2, -8),
            readMemory ? Asm.LdxMem(BPF_DW, R0, R10, -8) : Asm.Mov64(R0, R2),
        ]);

    /// <summary>Memory holds <see cref="Old"/>, r0 = <paramref name="compare"/>, r2 = <see cref="New"/>; cmpxchg; r0 or the memory after.</summary>
    private static DifferentialCase Cmpxchg(string name, byte size, ulong compare, bool readMemory, ulong expected)
    {
        AsmItem[] body =
        [
            Set(R1, Old), Opaque(R1), Asm.StxMem(BPF_DW, R10, R1, -8),
            Set(R2, New), Opaque(R2), Set(R0, compare), Opaque(R0),
            Asm.AtomicOp(size, BPF_CMPXCHG, R10, R2, -8),
        ];
        return new(name, expected, readMemory ? [.. body, Asm.LdxMem(BPF_DW, R0, R10, -8)] : body);
    }

    // Bytes at r10-8 .. r10-1: 87 86 85 84 83 82 81 80 (little-endian).
    private const ulong StackWord = 0x8081828384858687;

    private static IEnumerable<DifferentialCase> StackLoads() =>
    [
        Load("ldxsb sign-extends", Asm.LdxMemSx(BPF_B, R0, R10, -8), 0xFFFFFFFFFFFFFF87),
        Load("ldxsb of the top byte", Asm.LdxMemSx(BPF_B, R0, R10, -1), 0xFFFFFFFFFFFFFF80),
        Load("ldxsh sign-extends", Asm.LdxMemSx(BPF_H, R0, R10, -8), 0xFFFFFFFFFFFF8687),
        Load("ldxsw sign-extends", Asm.LdxMemSx(BPF_W, R0, R10, -8), 0xFFFFFFFF84858687),
        Load("ldxsw of the upper word", Asm.LdxMemSx(BPF_W, R0, R10, -4), 0xFFFFFFFF80818283),
        Load("ldxb zero-extends", Asm.LdxMem(BPF_B, R0, R10, -8), 0x87),
        Load("ldxh zero-extends", Asm.LdxMem(BPF_H, R0, R10, -6), 0x8485),
        Load("ldxw zero-extends", Asm.LdxMem(BPF_W, R0, R10, -4), 0x80818283),
        new("ldxsh of a positive half", 0x7F7F,
            [Asm.StMem(BPF_DW, R10, -16, 0x7F7F), Asm.LdxMemSx(BPF_H, R0, R10, -16)]),
        new("st dw imm is sign-extended", 0xFFFFFFFFFFFFFFFE,
            [Asm.StMem(BPF_DW, R10, -16, -2), Asm.LdxMem(BPF_DW, R0, R10, -16)]),
        new("st w writes only the low word", 0x80818283FFFFFFFE,
            [Set(R1, StackWord), Asm.StxMem(BPF_DW, R10, R1, -8), Asm.StMem(BPF_W, R10, -8, -2), Asm.LdxMem(BPF_DW, R0, R10, -8)]),
        // Load-acquire and store-release (kernel 6.15): a zero-extending load and a store of any size.
        Load("load_acquire u8 zero-extends", Asm.AtomicOp(BPF_B, BPF_LOAD_ACQ, R0, R10, -8), 0x87),
        Load("load_acquire u16 zero-extends", Asm.AtomicOp(BPF_H, BPF_LOAD_ACQ, R0, R10, -6), 0x8485),
        Load("load_acquire u32 zero-extends", Asm.AtomicOp(BPF_W, BPF_LOAD_ACQ, R0, R10, -4), 0x80818283),
        Load("load_acquire u64", Asm.AtomicOp(BPF_DW, BPF_LOAD_ACQ, R0, R10, -8), StackWord),
        new("store_release u8 writes one byte", 0x8081828334858687,
            [Set(R1, StackWord), Asm.StxMem(BPF_DW, R10, R1, -8), Set(R2, 0x1234), Opaque(R2), Asm.AtomicOp(BPF_B, BPF_STORE_REL, R10, R2, -5), Asm.LdxMem(BPF_DW, R0, R10, -8)]),
        new("store_release u16 writes two bytes", 0x8081123484858687,
            [Set(R1, StackWord), Asm.StxMem(BPF_DW, R10, R1, -8), Set(R2, 0xAB1234), Opaque(R2), Asm.AtomicOp(BPF_H, BPF_STORE_REL, R10, R2, -4), Asm.LdxMem(BPF_DW, R0, R10, -8)]),
        new("store_release u32 writes the low word", 0x80818283FFFFFFFE,
            [Set(R1, StackWord), Asm.StxMem(BPF_DW, R10, R1, -8), Set(R2, 0xFFFFFFFFFFFFFFFE), Opaque(R2), Asm.AtomicOp(BPF_W, BPF_STORE_REL, R10, R2, -8), Asm.LdxMem(BPF_DW, R0, R10, -8)]),
        new("store_release u64", 0x0102030405060708,
            [Set(R2, 0x0102030405060708), Opaque(R2), Asm.AtomicOp(BPF_DW, BPF_STORE_REL, R10, R2, -8), Asm.LdxMem(BPF_DW, R0, R10, -8)]),
        new("stx b writes one byte", 0x8081828334858687,
            [Set(R1, StackWord), Asm.StxMem(BPF_DW, R10, R1, -8), Set(R2, 0x1234), Asm.StxMem(BPF_B, R10, R2, -5), Asm.LdxMem(BPF_DW, R0, R10, -8)]),
    ];

    /// <summary>*(u64 *)(r10 - 8) = <see cref="StackWord"/>, then <paramref name="load"/>.</summary>
    private static DifferentialCase Load(string name, Instruction load, ulong expected) =>
        new(name, expected, [Set(R1, StackWord), Opaque(R1), Asm.StxMem(BPF_DW, R10, R1, -8), load]);

    // Offsets are into the skb data, the frame after its Ethernet header (see TestPacket): 50 bytes,
    // 45 00 00 32 12 34 40 00 40 11 14 85 0a 00 00 01 0a 00 00 02 | 30 39 00 35 00 1e 00 00 | e0 .. f5.
    private static IEnumerable<DifferentialCase> PacketLoads() =>
    [
        new("ld_abs b", 0x45, [Asm.LdAbs(BPF_B, 0)]),
        new("ld_abs h is big-endian", 0x32, [Asm.LdAbs(BPF_H, 2)]),
        new("ld_abs w is big-endian", 0x0A000001, [Asm.LdAbs(BPF_W, 12)]),
        new("ld_abs w does not sign-extend", 0xE0E1E2E3, [Asm.LdAbs(BPF_W, 28)]),
        new("ld_abs h of the last two bytes", 0xF4F5, [Asm.LdAbs(BPF_H, 48)]),
        new("ld_abs b of the last byte", 0xF5, [Asm.LdAbs(BPF_B, 49)]),
        new("ld_abs replaces all of r0", 0x11, [Set(R0, 0xFFFFFFFFFFFFFFFF), Asm.LdAbs(BPF_B, 9)]),
        new("ld_abs w past the end exits with 0", 0, [Asm.LdAbs(BPF_W, 47), Asm.Mov64(R0, 7)]),
        new("ld_abs b one past the end exits with 0", 0, [Asm.LdAbs(BPF_B, 50), Asm.Mov64(R0, 7)]),
        new("ld_abs keeps r6 to r9", 0x77, [Asm.LdAbs(BPF_B, 0), Asm.Mov64(R7, R0), Asm.LdAbs(BPF_H, 2), Asm.Add64(R0, R7)]),
        new("ld_ind adds src and imm", 0x35, [Set(R7, 20), Opaque(R7), Asm.LdInd(BPF_H, R7, 2)]),
        new("ld_ind with a negative imm", 0xE0, [Set(R7, 30), Opaque(R7), Asm.LdInd(BPF_B, R7, -2)]),
        new("ld_ind past the end exits with 0", 0, [Set(R7, 48), Opaque(R7), Asm.LdInd(BPF_W, R7, 0), Asm.Mov64(R0, 7)]),
        new("ld_abs at offset -1 exits with 0", 0, [Asm.LdAbs(BPF_B, -1), Asm.Mov64(R0, 7)]),
        // Not in the RFC; observed on the kernel, which passes src + imm to its load helper as an int offset.
        new("ld_ind offset is the low 32 bits of src (kernel)", 0x32, [Set(R7, 0x100000002), Opaque(R7), Asm.LdInd(BPF_H, R7, 0)]),
        new("ld_ind src + imm wraps at 32 bits (kernel)", 0x32, [Set(R7, 0xFFFFFFFF), Opaque(R7), Asm.LdInd(BPF_H, R7, 3)]),
    ];
}
