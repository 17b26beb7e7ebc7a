using BpfSharp.Isa;
using BpfSharp.Runtime;
using BpfSharp.Syscall;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Opcodes;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// Soundness of value tracking: random tc programs that index memory with computed scalars (masked, shifted,
/// multiplied, sign-extended, byte-swapped, 32-bit, bounded by signed, unsigned and 32-bit branches) - a map value,
/// the stack and the packet (behind a comparison with data_end) - never fault in checked mode when our verifier
/// accepts them. Every accepted program runs on random packets with random map contents in a system that does
/// not verify and bounds-checks every access. BPFSHARP_SOUNDNESS_PROGRAMS sets the number of programs (default
/// 1500 here).
/// </summary>
public class VerifierSoundnessMemoryTests
{
    private const int ValueSize = 64;

    private static readonly long[] Edge = [0, 1, -1, 2, 3, 7, 8, 14, 31, 32, 63, 64, 255, 256, 0x7fff, 0xffff, 0x7fffffff, -0x80000000, -8, -64];
    private static readonly int[] Masks = [0x3f, 0x7, 0xf, 0x38, 0xff, 0x1ff, 0x7fff, -8, 0x7fffffff, 0x3c];
    private static readonly byte[] Sizes = [BPF_B, BPF_H, BPF_W, BPF_DW];

    [Fact]
    public void Accepted_programs_indexing_memory_never_fault_in_checked_mode()
    {
        int count = int.TryParse(Environment.GetEnvironmentVariable("BPFSHARP_SOUNDNESS_PROGRAMS"), out int n) ? n / 2 : 1500;
        var rng = new Random(20261124);
        // The same map (first object, so the same fd) in a verifying system and in one that runs unverified
        // programs in checked mode; the interpreter keeps the loop fast (no compilation per program).
        using var verifying = new BpfSystem(new BpfSystemOptions { Engine = ExecutionEngine.Interpreter });
        using var checking = new BpfSystem(new BpfSystemOptions { Verify = false, Engine = ExecutionEngine.Interpreter, InstructionBudget = 1 << 16 });
        using BpfMap verifyMap = BpfMap.Create(verifying, BpfMapType.Array, 4, ValueSize, 4);
        using BpfMap map = BpfMap.Create(checking, BpfMapType.Array, 4, ValueSize, 4);
        Assert.Equal(verifyMap.Fd, map.Fd);
        int accepted = 0, memoryOps = 0;
        byte[] value = new byte[ValueSize];
        for (int i = 0; i < count; i++)
        {
            Instruction[] prog = Generate(rng, map.Fd, out int ops);
            if (Load(verifying, prog) < 0)
                continue;
            accepted++;
            memoryOps += ops;
            using BpfProgram p = BpfProgram.Load(checking, BpfProgType.SchedCls, prog);
            for (int run = 0; run < 3; run++)
            {
                rng.NextBytes(value);
                map.Update(BitConverter.GetBytes(0), value);
                byte[] data = new byte[rng.Next(14, 160)];
                rng.NextBytes(data);
                (data[12], data[13]) = (0x88, 0xb5); // no IPv4/IPv6 header for the test run to validate
                try
                {
                    p.TestRun(data);
                }
                catch (BpfException e)
                {
                    Assert.Fail($"accepted program faulted: {e.Message}\n{string.Join('\n', Disassembler.Disassemble(prog))}");
                }
            }
        }
        Assert.True(accepted > count / 10, $"only {accepted} of {count} programs were accepted: the generator tests too little");
        Assert.True(memoryOps > accepted, $"only {memoryOps} computed-offset accesses in {accepted} accepted programs");
    }

    // BPF_PROG_LOAD into the verifying system without a log: the fd (closed again) or -errno.
    private static unsafe int Load(BpfSystem system, Instruction[] insns)
    {
        byte* license = stackalloc byte[] { (byte)'G', (byte)'P', (byte)'L', 0 };
        fixed (Instruction* ip = insns)
        {
            BpfAttr attr = default;
            attr.ProgLoad.ProgType = (uint)BpfProgType.SchedCls;
            attr.ProgLoad.InsnCnt = (uint)insns.Length;
            attr.ProgLoad.Insns = (ulong)ip;
            attr.ProgLoad.License = (ulong)license;
            int rc = system.Bpf(BpfCommand.ProgLoad, ref attr, BpfAttr.Size);
            if (rc >= 0) system.Close(rc);
            return rc;
        }
    }

    // R6 = ctx, R7 = data, R8 = data_end, R9 = the map value (64 bytes), 64 zeroed stack bytes at fp-64;
    // R0-R5 are scalars computed at random, and the pointers the memory operations form from them.
    private static Instruction[] Generate(Random rng, int mapFd, out int memoryOps)
    {
        var p = new List<Instruction> { Asm.Mov64(R6, R1) };
        for (short off = -8; off >= -64; off -= 8)
            p.Add(Asm.StMem(BPF_DW, R10, off, 0));
        p.Add(Asm.StMem(BPF_W, R10, -72, 0));
        p.Add(Asm.Mov64(R2, R10));
        p.Add(Asm.Alu64Imm(BPF_ADD, R2, -72));
        p.Add(new Instruction(BPF_LD | BPF_DW | BPF_IMM, (byte)R1, BPF_PSEUDO_MAP_FD, 0, mapFd));
        p.Add(new Instruction(0, (byte)0, (byte)0, 0, 0));
        p.Add(Asm.Call(1)); // bpf_map_lookup_elem
        p.Add(Asm.JmpImm(BPF_JNE, R0, 0, 1));
        p.Add(Asm.Exit());
        p.Add(Asm.Mov64(R9, R0));
        p.Add(Asm.LdxMem(BPF_W, R7, R6, 76));
        p.Add(Asm.LdxMem(BPF_W, R8, R6, 80));
        for (Reg r = R0; r <= R5; r++)
            p.Add(rng.Next(3) == 0 ? Asm.Mov64Imm(r, (int)Edge[rng.Next(Edge.Length)]) : MapLoad(rng, r));
        memoryOps = 0;
        int len = rng.Next(3, 12);
        for (int i = 0; i < len; i++)
        {
            Reg a = Scratch(rng), b = Scratch(rng);
            int imm = (int)Edge[rng.Next(Edge.Length)];
            switch (rng.Next(16))
            {
                case 0: p.Add(MapLoad(rng, a)); break;
                case 1: p.Add(Asm.Alu64Imm(BPF_AND, a, Masks[rng.Next(Masks.Length)])); break;
                case 2: p.Add(Asm.Alu32Imm(BPF_AND, a, Masks[rng.Next(Masks.Length)])); break;
                case 3: p.Add(AluImm(rng, a, alu64: true)); break;
                case 4: p.Add(AluImm(rng, a, alu64: false)); break;
                case 5: p.Add(AluReg(rng, a, b)); break;
                case 6: p.Add(Unary(rng, a, b)); break;
                case 7:
                case 8: p.Add(Branch(rng, a, b, imm)); break;
                case 9:
                case 10:
                    MapAccess(rng, p, a, b);
                    memoryOps++;
                    break;
                case 11:
                case 12:
                    StackAccess(rng, p, a, b);
                    memoryOps++;
                    break;
                case 13:
                case 14:
                    PacketAccess(rng, p, a, b);
                    memoryOps++;
                    break;
                default: p.Add(Asm.Mov64(a, b)); break;
            }
        }
        for (int i = 0; i < 4; i++)
            p.Add(Asm.Mov64Imm(R0, 0)); // room for the last forward jumps
        p.Add(Asm.Exit());
        return [.. p];
    }

    private static Reg Scratch(Random rng) => (Reg)rng.Next(0, 6);

    private static short Off(Random rng, int lo, int hi) => (short)rng.Next(lo, hi + 1);

    private static Instruction MapLoad(Random rng, Reg dst)
    {
        byte size = Sizes[rng.Next(Sizes.Length)];
        int bytes = SizeBytes(size);
        short off = (short)(rng.Next(0, ValueSize / bytes) * bytes);
        return rng.Next(5) == 0 && size != BPF_DW ? Asm.LdxMemSx(size, dst, R9, off) : Asm.LdxMem(size, dst, R9, off);
    }

    private static Instruction AluImm(Random rng, Reg dst, bool alu64)
    {
        byte op = rng.Next(8) switch
        {
            0 => BPF_ADD, 1 => BPF_SUB, 2 => BPF_MUL, 3 => BPF_OR, 4 => BPF_XOR, 5 => BPF_LSH, 6 => BPF_RSH, _ => BPF_ARSH,
        };
        int imm = op is BPF_LSH or BPF_RSH or BPF_ARSH ? rng.Next(alu64 ? 64 : 32) : (int)Edge[rng.Next(Edge.Length)];
        return alu64 ? Asm.Alu64Imm(op, dst, imm) : Asm.Alu32Imm(op, dst, imm);
    }

    private static Instruction AluReg(Random rng, Reg dst, Reg src)
    {
        byte op = rng.Next(7) switch
        {
            0 => BPF_ADD, 1 => BPF_SUB, 2 => BPF_AND, 3 => BPF_OR, 4 => BPF_XOR, 5 => BPF_MUL, _ => BPF_RSH,
        };
        return rng.Next(3) == 0 ? Asm.Alu32Reg(op, dst, src) : Asm.Alu64Reg(op, dst, src);
    }

    private static Instruction Unary(Random rng, Reg dst, Reg src) => rng.Next(8) switch
    {
        0 => Asm.Neg64(dst),
        1 => Asm.Neg32(dst),
        2 => Asm.Movsx64Reg(dst, src, (short)(8 << rng.Next(3))),
        3 => Asm.Movsx32Reg(dst, src, (short)(8 << rng.Next(2))),
        4 => Asm.Endian(BPF_TO_BE, dst, 16 << rng.Next(3)),
        5 => Asm.Endian(BPF_TO_LE, dst, 16 << rng.Next(3)),
        6 => new Instruction(BPF_ALU64 | BPF_END | BPF_TO_LE, (byte)dst, 0, 0, 16 << rng.Next(3)), // bswap
        _ => Asm.Alu32Reg(BPF_MOV, dst, dst),
    };

    private static Instruction Branch(Random rng, Reg a, Reg b, int imm)
    {
        byte op = rng.Next(11) switch
        {
            0 => BPF_JEQ, 1 => BPF_JNE, 2 => BPF_JGT, 3 => BPF_JGE, 4 => BPF_JLT, 5 => BPF_JLE,
            6 => BPF_JSGT, 7 => BPF_JSGE, 8 => BPF_JSLT, 9 => BPF_JSLE, _ => BPF_JSET,
        };
        short off = (short)rng.Next(0, 4);
        bool jmp32 = rng.Next(3) == 0;
        if (rng.Next(3) == 0)
            return jmp32 ? Asm.Jmp32Reg(op, a, b, off) : Asm.JmpReg(op, a, b, off);
        return jmp32 ? Asm.Jmp32Imm(op, a, imm, off) : Asm.JmpImm(op, a, imm, off);
    }

    // ptr = map value +/- a, then a load or store at a small constant offset
    private static void MapAccess(Random rng, List<Instruction> p, Reg a, Reg ptr)
    {
        if (ptr == a) ptr = (Reg)(((int)a + 1) % 6);
        var seq = new List<Instruction> { Asm.Mov64(ptr, R9), Asm.Alu64Reg(rng.Next(4) == 0 ? BPF_SUB : BPF_ADD, ptr, a) };
        Access(rng, seq, ptr, a, rng.Next(4) == 0 ? Off(rng, -8, ValueSize) : Off(rng, 0, 8));
        Guarded(rng, p, a, ValueSize, seq);
    }

    // ptr = fp-64 + a, then a load or store
    private static void StackAccess(Random rng, List<Instruction> p, Reg a, Reg ptr)
    {
        if (ptr == a) ptr = (Reg)(((int)a + 1) % 6);
        var seq = new List<Instruction> { Asm.Mov64(ptr, R10), Asm.Alu64Imm(BPF_ADD, ptr, -64), Asm.Alu64Reg(BPF_ADD, ptr, a) };
        Access(rng, seq, ptr, a, rng.Next(4) == 0 ? Off(rng, -8, 64) : (short)(8 * rng.Next(0, 4)));
        Guarded(rng, p, a, 64, seq);
    }

    // ptr = data + a; end = ptr + k; if end > data_end skip the access (or, sometimes, the wrong way round)
    private static void PacketAccess(Random rng, List<Instruction> p, Reg a, Reg ptr)
    {
        if (ptr == a) ptr = (Reg)(((int)a + 1) % 6);
        Reg end = (Reg)(((int)ptr + 1) % 6);
        if (end == a) end = (Reg)(((int)end + 1) % 6);
        int k = rng.Next(1, 24);
        var seq = new List<Instruction> { Asm.Mov64(ptr, R7) };
        if (rng.Next(4) != 0)
            seq.Add(Asm.Alu64Reg(BPF_ADD, ptr, a));
        seq.Add(Asm.Mov64(end, ptr));
        seq.Add(Asm.Alu64Imm(BPF_ADD, end, k));
        seq.Add(rng.Next(4) switch
        {
            0 => Asm.JmpReg(BPF_JGT, end, R8, 1),
            1 => Asm.JmpReg(BPF_JLT, R8, end, 1),
            2 => Asm.JmpReg(BPF_JGE, end, R8, 1),
            _ => Asm.JmpReg(BPF_JLE, end, R8, 1),
        });
        Access(rng, seq, ptr, a, rng.Next(4) == 0 ? Off(rng, -2, k) : Off(rng, 0, Math.Max(0, k - 4)));
        Guarded(rng, p, a, 256, seq);
    }

    // Bounds the index a, most of the time, before the access sequence: a mask, a shift, or a branch (unsigned,
    // signed, 32-bit, or the wrong one) that jumps over the whole sequence; then the sequence.
    private static void Guarded(Random rng, List<Instruction> p, Reg a, int limit, List<Instruction> seq)
    {
        short skip = (short)seq.Count;
        int k = rng.Next(limit + 8);
        switch (rng.Next(10))
        {
            case 0: p.Add(Asm.Alu64Imm(BPF_AND, a, Masks[rng.Next(Masks.Length)])); break;
            case 1: p.Add(Asm.Alu32Imm(BPF_AND, a, rng.Next(limit))); break;
            case 2: p.Add(Asm.Alu64Imm(BPF_RSH, a, rng.Next(52, 64))); break;
            case 3: p.Add(Asm.JmpImm(BPF_JGT, a, k, skip)); break;
            case 4: p.Add(Asm.JmpImm(BPF_JGE, a, k, skip)); break;
            case 5:
                p.Add(Asm.JmpImm(BPF_JSGT, a, k, (short)(skip + 1)));
                p.Add(Asm.JmpImm(BPF_JSLT, a, rng.Next(-4, 1), skip));
                break;
            case 6:
                p.Add(Asm.Alu32Reg(BPF_MOV, a, a));
                p.Add(Asm.Jmp32Imm(rng.Next(2) == 0 ? BPF_JGT : BPF_JSGT, a, k, skip));
                break;
            case 7:
                p.Add(Asm.JmpImm(BPF_JLT, a, k, skip)); // the wrong side: a stays unbounded above
                break;
            default: break; // unbounded, or bounded by what came before
        }
        p.AddRange(seq);
    }

    private static void Access(Random rng, List<Instruction> p, Reg ptr, Reg value, short off)
    {
        byte size = rng.Next(3) == 0 ? Sizes[rng.Next(Sizes.Length)] : BPF_B;
        p.Add(rng.Next(3) switch
        {
            0 => Asm.StxMem(size, ptr, value, off),
            1 => Asm.StMem(size, ptr, off, rng.Next(256)),
            _ => Asm.LdxMem(size, ptr, ptr, off),
        });
        p.Add(Asm.Mov64Imm(ptr, 0)); // back to a scalar for the next operations
    }

    private static int SizeBytes(byte size) => size switch { BPF_B => 1, BPF_H => 2, BPF_W => 4, _ => 8 };
}
