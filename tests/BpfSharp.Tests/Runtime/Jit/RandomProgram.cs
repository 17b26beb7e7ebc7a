using BpfSharp.Isa;
using static BpfSharp.Isa.Asm;
using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.Tests.Runtime.Jit;

/// <summary>
/// Random programs for the engine differential test: every opcode class (ALU/ALU64 with sdiv/smod/movsx, END and
/// bswap, every jump condition in both widths and operand forms, gotol, loads, sign-extending loads, stores,
/// every atomic, LD_ABS/LD_IND, lddw, helper calls, callx, bpf-to-bpf calls), edge-value immediates and register
/// contents. r1 (caller memory) and r10 (stack) are only ever memory bases, never values, so results do not
/// depend on where the engines put their memory; jumps may go backwards (the budget ends endless loops).
/// The same seed always gives the same program.
/// </summary>
public static class RandomProgram
{
    /// <summary>Bytes of caller memory (r1) and of the packet the programs get.</summary>
    public const int MemorySize = 64, PacketSize = 64;

    private static readonly long[] Edges =
    [
        0, 1, -1, 2, 3, 7, 8, 15, 16, 31, 32, 33, 63, 64, 65, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000,
        int.MaxValue, int.MinValue, uint.MaxValue, 0x1_0000_0000, long.MaxValue, long.MinValue,
        -2, -8, -32, -64, -0x8000, 0x0123_4567_89ab_cdef, unchecked((long)0xfedc_ba98_7654_3210), 0x00ff_00ff_00ff_00ff,
    ];

    private static readonly byte[] AluOps = [BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_OR, BPF_AND, BPF_LSH, BPF_RSH, BPF_NEG, BPF_MOD, BPF_XOR, BPF_MOV, BPF_ARSH];
    private static readonly byte[] JmpOps = [BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET, BPF_JNE, BPF_JSGT, BPF_JSGE, BPF_JLT, BPF_JLE, BPF_JSLT, BPF_JSLE];
    private static readonly byte[] Sizes = [BPF_B, BPF_H, BPF_W, BPF_DW];
    private static readonly int[] AtomicOps =
    [
        BPF_ADD, BPF_OR, BPF_AND, BPF_XOR, BPF_ADD | BPF_FETCH, BPF_OR | BPF_FETCH, BPF_AND | BPF_FETCH, BPF_XOR | BPF_FETCH,
        BPF_XCHG, BPF_CMPXCHG, BPF_LOAD_ACQ, BPF_STORE_REL,
    ];
    // Sum (1), caller_insn (2), conformance unwind (5), exit_1234 (6), count_down (9), and an unregistered id.
    private static readonly int[] HelperIds = [1, 1, 2, 5, 6, 9, 77];

    /// <summary>The program for <paramref name="seed"/>.</summary>
    public static Instruction[] Generate(int seed)
    {
        var rng = new Random(seed);
        var items = new List<AsmItem>();
        foreach (byte r in new byte[] { 0, 2, 3, 4, 5, 6, 7, 8, 9 })
            items.Add(LdImm64((Reg)r, Value(rng)));
        int count = rng.Next(4, 48);
        for (int k = 0; k < count; k++)
        {
            items.Add(Label($"L{k}"));
            AddInstruction(rng, items, k, count);
        }
        items.Add(Label($"L{count}"));
        // Every register reaches r0, so a difference anywhere shows.
        foreach (byte r in new byte[] { 2, 3, 4, 5, 6, 7, 8, 9 })
        {
            items.Add(Alu64Imm(BPF_MUL, Reg.R0, 31));
            items.Add(Alu64Reg(BPF_XOR, Reg.R0, (Reg)r));
        }
        items.Add(Exit());
        // A subprogram: reads its arguments, uses its own frame, and sometimes calls a helper.
        items.Add(Label("sub"));
        items.Add(Mov64Reg(Reg.R0, Reg.R2));
        items.Add(Alu64Reg(BPF_ADD, Reg.R0, Reg.R3));
        items.Add(StxMem(BPF_DW, Reg.R10, Reg.R0, -8));
        items.Add(AtomicOp(BPF_DW, BPF_ADD | BPF_FETCH, Reg.R10, Reg.R4, -8));
        items.Add(LdxMem(BPF_DW, Reg.R0, Reg.R10, -8));
        items.Add(Alu64Reg(BPF_XOR, Reg.R0, Reg.R4));
        items.Add(Exit());
        return Program([.. items]);
    }

    private static void AddInstruction(Random rng, List<AsmItem> items, int k, int count)
    {
        int roll = rng.Next(100);
        if (roll < 40) items.Add(Alu(rng));
        else if (roll < 45) items.Add(End(rng));
        else if (roll < 60) items.Add(Jump(rng, k, count));
        else if (roll < 78) items.Add(Memory(rng));
        else if (roll < 84) items.Add(Atomic(rng));
        else if (roll < 88) items.Add(PacketLoad(rng));
        else if (roll < 92) items.Add(Call(HelperIds[rng.Next(HelperIds.Length)]));
        else if (roll < 94) items.Add(LdImm64(ValueReg(rng), Value(rng)));
        else if (roll < 96) AddCallx(rng, items);
        else items.Add(CallRel("sub"));
    }

    // callx through a register holding a helper id (usually a registered one).
    private static void AddCallx(Random rng, List<AsmItem> items)
    {
        Reg target = ValueReg(rng);
        items.Add(Mov64Imm(target, HelperIds[rng.Next(HelperIds.Length)]));
        items.Add(Callx(target));
    }

    private static Instruction Alu(Random rng)
    {
        bool is64 = rng.Next(2) == 0;
        byte op = AluOps[rng.Next(AluOps.Length)];
        bool reg = rng.Next(2) == 0;
        short off = 0;
        if (op is BPF_DIV or BPF_MOD && rng.Next(2) == 0) off = 1; // sdiv, smod
        if (op == BPF_MOV && reg && rng.Next(3) == 0) off = is64 ? (short)(8 << rng.Next(3)) : (short)(8 << rng.Next(2)); // movsx
        byte cls = is64 ? BPF_ALU64 : BPF_ALU;
        if (op == BPF_NEG) return new Instruction((byte)(cls | op | BPF_K), ValueReg(rng), Reg.R0, 0, 0);
        return reg
            ? new Instruction((byte)(cls | op | BPF_X), ValueReg(rng), ValueReg(rng), off, 0)
            : new Instruction((byte)(cls | op | BPF_K), ValueReg(rng), Reg.R0, off, Imm(rng));
    }

    private static Instruction End(Random rng)
    {
        int bits = 16 << rng.Next(3);
        return rng.Next(3) switch
        {
            0 => Endian(BPF_TO_LE, ValueReg(rng), bits),
            1 => Endian(BPF_TO_BE, ValueReg(rng), bits),
            _ => Bswap(ValueReg(rng), bits),
        };
    }

    private static AsmItem Jump(Random rng, int k, int count)
    {
        // Mostly forward (to any later position or the epilogue); one in eight backwards (a loop the budget may end).
        int target = rng.Next(8) == 0 ? rng.Next(0, k + 1) : rng.Next(k + 1, count + 1);
        string label = $"L{target}";
        int kind = rng.Next(20);
        if (kind == 0) return Ja(label);
        if (kind == 1) return Gotol(label);
        byte op = JmpOps[rng.Next(JmpOps.Length)];
        bool is64 = rng.Next(2) == 0;
        return rng.Next(2) == 0
            ? (is64 ? JmpReg(op, ValueReg(rng), ValueReg(rng), label) : Jmp32Reg(op, ValueReg(rng), ValueReg(rng), label))
            : (is64 ? JmpImm(op, ValueReg(rng), Imm(rng), label) : Jmp32Imm(op, ValueReg(rng), Imm(rng), label));
    }

    private static Instruction Memory(Random rng)
    {
        byte size = Sizes[rng.Next(4)];
        (Reg baseReg, short off) = Address(rng, SizeOf(size));
        return rng.Next(4) switch
        {
            0 => LdxMem(size, ValueReg(rng), baseReg, off),
            1 => size == BPF_DW ? LdxMem(size, ValueReg(rng), baseReg, off) : LdxMemSx(size, ValueReg(rng), baseReg, off),
            2 => StMem(size, baseReg, off, Imm(rng)),
            _ => StxMem(size, baseReg, ValueReg(rng), off),
        };
    }

    private static Instruction Atomic(Random rng)
    {
        int op = AtomicOps[rng.Next(AtomicOps.Length)];
        bool ordered = op is BPF_LOAD_ACQ or BPF_STORE_REL; // any size; the read-modify-write ops only 32 and 64 bits
        byte size = ordered ? Sizes[rng.Next(4)] : rng.Next(2) == 0 ? BPF_W : BPF_DW;
        (Reg baseReg, short off) = Address(rng, SizeOf(size));
        return op == BPF_LOAD_ACQ
            ? AtomicOp(size, op, ValueReg(rng), baseReg, off) // dst = load_acquire(src + off)
            : AtomicOp(size, op, baseReg, ValueReg(rng), off);
    }

    private static Instruction PacketLoad(Random rng)
    {
        byte size = Sizes[rng.Next(3)];
        return rng.Next(2) == 0
            ? LdAbs(size, rng.Next(-4, PacketSize + 4))
            : LdInd(size, ValueReg(rng), rng.Next(-8, PacketSize + 4));
    }

    // Mostly in bounds and aligned (the stack below r10, or the caller memory at r1); sometimes anywhere near.
    private static (Reg, short) Address(Random rng, int size)
    {
        bool stack = rng.Next(2) == 0;
        int roll = rng.Next(40);
        int off = stack ? -rng.Next(1, 512 / size + 1) * size : rng.Next(0, MemorySize / size) * size;
        if (roll == 0) off += rng.Next(1, size + 1);     // misaligned, maybe past the end
        else if (roll == 1) off = rng.Next(-600, 600); // anywhere nearby
        return (stack ? Reg.R10 : Reg.R1, (short)off);
    }

    private static int SizeOf(byte size) => size switch { BPF_B => 1, BPF_H => 2, BPF_W => 4, _ => 8 };

    // Registers that hold values: r0 and r2-r9 (never r1 or r10, which hold addresses).
    private static Reg ValueReg(Random rng)
    {
        int r = rng.Next(9);
        return (Reg)(r == 0 ? 0 : r + 1);
    }

    private static long Value(Random rng) => rng.Next(4) == 0 ? rng.NextInt64(long.MinValue, long.MaxValue) : Edges[rng.Next(Edges.Length)];

    private static int Imm(Random rng) => rng.Next(4) == 0 ? rng.Next(int.MinValue, int.MaxValue) : (int)Edges[rng.Next(Edges.Length)];
}
