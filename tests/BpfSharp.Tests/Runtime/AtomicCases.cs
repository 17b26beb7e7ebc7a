using BpfSharp.Isa;
using static BpfSharp.Isa.Asm;
using static BpfSharp.Isa.Opcodes;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Runtime;

/// <summary>
/// BPF_ATOMIC (RFC 9669 5.3) on the first 8 bytes of caller memory: r2 = src, r0 = the compare
/// value, run the atomic on [r1+0]. Returns src afterwards (old value for FETCH and xchg, unchanged
/// otherwise) or r0 for cmpxchg; the memory after shows what was written. 32-bit forms touch only
/// the low word and zero-extend what they return.
/// </summary>
public static class AtomicCases
{
    private static MemoryCase Case(string name, byte size, int op, ulong memory, ulong src, ulong r0, ulong expected, ulong memoryAfter)
    {
        Instruction atomic = AtomicOp(size, op, R1, R2, 0);
        var body = new List<AsmItem> { LdImm64(R2, (long)src), LdImm64(R0, (long)r0), atomic };
        if (op != BPF_CMPXCHG) body.Add(Mov64(R0, R2));
        body.Add(Exit());
        return new MemoryCase(name, atomic, [.. body], Le(memory), expected, Le(memoryAfter));
    }

    // r0 = load_acquire((size *)(r1 +0)): r0 starts all ones, so the zero-extension of the narrow loads shows.
    private static MemoryCase LoadAcquire(string name, byte size, ulong memory, ulong expected)
    {
        Instruction insn = AtomicOp(size, BPF_LOAD_ACQ, R0, R1, 0);
        return new MemoryCase(name, insn, [LdImm64(R0, -1), insn, Exit()], Le(memory), expected, Le(memory));
    }

    // store_release((size *)(r1 +0), r2): the low size bytes of r2 land in memory; r0 = r2 shows r2 is untouched.
    private static MemoryCase StoreRelease(string name, byte size, ulong memory, ulong src, ulong memoryAfter)
    {
        Instruction insn = AtomicOp(size, BPF_STORE_REL, R1, R2, 0);
        return new MemoryCase(name, insn, [LdImm64(R2, (long)src), insn, Mov64(R0, R2), Exit()], Le(memory), src, Le(memoryAfter));
    }

    private static string Le(ulong v) => Convert.ToHexString(BitConverter.GetBytes(v));

    public static readonly MemoryCase[] All =
    [
        Case("add64 leaves src", BPF_DW, BPF_ADD, 0x0000_0001_0000_0001, 0xFFFF_FFFF_FFFF_FFFF, 0, 0xFFFF_FFFF_FFFF_FFFF, 0x0000_0001_0000_0000),
        Case("fetch add64", BPF_DW, BPF_ADD | BPF_FETCH, 5, 3, 0, 5, 8),
        Case("add32 low word only", BPF_W, BPF_ADD, 0x1111_1111_FFFF_FFFF, 1, 0, 1, 0x1111_1111_0000_0000),
        Case("fetch add32 zero-extends the old value", BPF_W, BPF_ADD | BPF_FETCH, 0xAAAA_AAAA_8000_0000, 0xFFFF_FFFF_8000_0000, 0, 0x8000_0000, 0xAAAA_AAAA_0000_0000),
        Case("or64", BPF_DW, BPF_OR, 0xF0, 0x0F, 0, 0x0F, 0xFF),
        Case("fetch or64", BPF_DW, BPF_OR | BPF_FETCH, 0xF000_0000_0000_00F0, 0x0F, 0, 0xF000_0000_0000_00F0, 0xF000_0000_0000_00FF),
        Case("or32", BPF_W, BPF_OR, 0xFFFF_FFFF_0000_00F0, 0xFFFF_FFFF_0000_000F, 0, 0xFFFF_FFFF_0000_000F, 0xFFFF_FFFF_0000_00FF),
        Case("fetch or32", BPF_W, BPF_OR | BPF_FETCH, 0xFFFF_FFFF_0000_00F0, 0x0F, 0, 0xF0, 0xFFFF_FFFF_0000_00FF),
        Case("and64", BPF_DW, BPF_AND, 0xFF00_FF00_FF00_FF00, 0x0FF0_0FF0_0FF0_0FF0, 0, 0x0FF0_0FF0_0FF0_0FF0, 0x0F00_0F00_0F00_0F00),
        Case("fetch and64", BPF_DW, BPF_AND | BPF_FETCH, 0xFF00_FF00_FF00_FF00, 0x0FF0_0FF0_0FF0_0FF0, 0, 0xFF00_FF00_FF00_FF00, 0x0F00_0F00_0F00_0F00),
        Case("and32", BPF_W, BPF_AND, 0x1234_5678_FFFF_0000, 0x00FF_00FF, 0, 0x00FF_00FF, 0x1234_5678_00FF_0000),
        Case("fetch and32", BPF_W, BPF_AND | BPF_FETCH, 0x1234_5678_FFFF_0000, 0x00FF_00FF, 0, 0xFFFF_0000, 0x1234_5678_00FF_0000),
        Case("xor64", BPF_DW, BPF_XOR, 0xFFFF_FFFF_FFFF_FFFF, 0x0123_4567_89AB_CDEF, 0, 0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210),
        Case("fetch xor64", BPF_DW, BPF_XOR | BPF_FETCH, 0xFFFF_FFFF_FFFF_FFFF, 0x0123_4567_89AB_CDEF, 0, 0xFFFF_FFFF_FFFF_FFFF, 0xFEDC_BA98_7654_3210),
        Case("xor32", BPF_W, BPF_XOR, 0x0000_0001_FFFF_FFFF, 0xFFFF_FFFF_0000_FFFF, 0, 0xFFFF_FFFF_0000_FFFF, 0x0000_0001_FFFF_0000),
        Case("fetch xor32", BPF_W, BPF_XOR | BPF_FETCH, 0x0000_0001_FFFF_FFFF, 0xFFFF_FFFF_0000_FFFF, 0, 0xFFFF_FFFF, 0x0000_0001_FFFF_0000),
        Case("xchg64", BPF_DW, BPF_XCHG, 0x1122_3344_5566_7788, 0xAABB_CCDD_EEFF_0011, 0, 0x1122_3344_5566_7788, 0xAABB_CCDD_EEFF_0011),
        Case("xchg32", BPF_W, BPF_XCHG, 0x1122_3344_5566_7788, 0xAABB_CCDD_EEFF_0011, 0, 0x5566_7788, 0x1122_3344_EEFF_0011),
        Case("cmpxchg64 match stores", BPF_DW, BPF_CMPXCHG, 5, 9, 5, 5, 9),
        Case("cmpxchg64 mismatch keeps", BPF_DW, BPF_CMPXCHG, 5, 9, 6, 5, 5),
        Case("cmpxchg32 compares the low half of r0", BPF_W, BPF_CMPXCHG, 0xAAAA_AAAA_0000_0005, 0x1234_5678_0000_0009, 0xFFFF_FFFF_0000_0005, 5, 0xAAAA_AAAA_0000_0009),
        Case("cmpxchg32 mismatch zero-extends the old value into r0", BPF_W, BPF_CMPXCHG, 0xAAAA_AAAA_8000_0005, 9, 6, 0x8000_0005, 0xAAAA_AAAA_8000_0005),
        // Load-acquire and store-release (kernel 6.15; a load and a store of any size, little-endian).
        LoadAcquire("load_acquire u8 zero-extends", BPF_B, 0x8877_6655_4433_22F1, 0xF1),
        LoadAcquire("load_acquire u16 zero-extends", BPF_H, 0x8877_6655_4433_F2F1, 0xF2F1),
        LoadAcquire("load_acquire u32 zero-extends", BPF_W, 0x8877_6655_F4F3_F2F1, 0xF4F3_F2F1),
        LoadAcquire("load_acquire u64", BPF_DW, 0x8877_6655_4433_2211, 0x8877_6655_4433_2211),
        StoreRelease("store_release u8 writes the low byte", BPF_B, 0x8877_6655_4433_2211, 0x0102_0304_0506_0708, 0x8877_6655_4433_2208),
        StoreRelease("store_release u16 writes the low half-word", BPF_H, 0x8877_6655_4433_2211, 0x0102_0304_0506_0708, 0x8877_6655_4433_0708),
        StoreRelease("store_release u32 writes the low word", BPF_W, 0x8877_6655_4433_2211, 0x0102_0304_0506_0708, 0x8877_6655_0506_0708),
        StoreRelease("store_release u64", BPF_DW, 0x8877_6655_4433_2211, 0x0102_0304_0506_0708, 0x0102_0304_0506_0708),
    ];
}
