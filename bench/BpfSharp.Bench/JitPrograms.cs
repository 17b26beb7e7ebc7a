using BpfSharp.Isa;
using static BpfSharp.Isa.Asm;
using static BpfSharp.Isa.Opcodes;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Bench;

/// <summary>
/// The JIT benchmark's programs. Each body works on r2 = data, r3 = data_end (with the bounds checks the kernel's
/// verifier demands); only the prologue differs: for our engines r1 = data and r2 = its length, for the kernel an
/// XDP program reads data and data_end from its xdp_md context. The same body thus runs on both.
/// </summary>
internal static class JitPrograms
{
    /// <summary>A benchmark program: its body (after the prologue) and the bytes of packet it runs on.</summary>
    public sealed record Workload(string Name, AsmItem[] Body, int PacketSize, string Description);

    /// <summary>Prologue for our engines: r2 = data (r1), r3 = data + length (r2).</summary>
    public static Instruction[] Ours(Workload w) => Program([Mov64Reg(R3, R1), Alu64Reg(BPF_ADD, R3, R2), Mov64Reg(R2, R1), .. w.Body]);

    /// <summary>Prologue for the kernel (XDP): r2 = ctx->data, r3 = ctx->data_end.</summary>
    public static Instruction[] Kernel(Workload w) => Program([LdxMem(BPF_W, R2, R1, 0), LdxMem(BPF_W, R3, R1, 4), .. w.Body]);

    public static readonly Workload[] All =
    [
        new("tight loop", TightLoop(1000), 64, "1000 iterations of a 10-insn xorshift/multiply mix, no memory"),
        new("IP checksum 1500 B", Checksum(), 1500, "ones' complement sum of 750 16-bit words, bounds-checked, folded"),
        new("Eth/IPv4/TCP parser", Parser(), 64, "bounds-checked header walk to the TCP ports and flags"),
        new("64-bit mem 1500 B", Memory64(), 1504, "188 x (load u64, mix, store u64) over the buffer"),
        new("prandom helper x32", Helpers(32, 7), 64, "32 calls of bpf_get_prandom_u32, summed"),
        new("cpu id helper x32", Helpers(32, 8), 64, "32 calls of bpf_get_smp_processor_id, summed (the kernel's JIT inlines it)"),
        new("tiny (r0 = 2)", [Mov64Imm(R0, 2), Exit()], 64, "per-invocation overhead"),
        new("large 6k insns", Large(500), 64, "unrolled: packet and stack loads, stores, ALU, a forward jump per 12 insns"),
        new("large 20k insns", Large(1666), 64, "the same, 20,000 instructions"),
    ];

    /// <summary>True for the workloads with no plain C# version (<see cref="PlainCSharp"/>).</summary>
    public static bool HasPlainCSharp(Workload w) => !w.Name.StartsWith("large", StringComparison.Ordinal);

    // A program past RyuJIT's MinOpts limits for one method (about 3,300 instructions): blocks of 12 instructions
    // mixing the packet's 8 words and 8 stack slots into r0, with a forward jump per block over a store; the packet's
    // 64 bytes are checked once. (A jump over an ALU instruction instead is if-converted by RyuJIT into a cmov, which
    // with this fixed packet, where the kernel's branches are always predicted, puts 2 cycles per block on r0's
    // dependency chain: 1.23-1.25x the kernel's time; see bench/RESULTS.md.)
    private static AsmItem[] Large(int blocks)
    {
        var items = new List<AsmItem> { Mov64Imm(R0, 0), Mov64Reg(R4, R2), Add64(R4, 64), JmpReg(BPF_JGT, R4, R3, "out") };
        for (int slot = 1; slot <= 9; slot++) items.Add(StMem(BPF_DW, R10, (short)(-8 * slot), slot));
        for (int b = 0; b < blocks; b++)
        {
            items.Add(LdxMem(BPF_DW, R6, R2, (short)(8 * (b % 8))));
            items.Add(Xor64(R0, R6));
            items.Add(Mul64(R0, 0x2545F491));
            items.Add(Mov64Reg(R7, R0));
            items.Add(Rsh64(R7, 29));
            items.Add(Add64(R0, R7));
            items.Add(JmpImm(BPF_JSET, R0, 1, $"odd{b}"));
            items.Add(StxMem(BPF_DW, R10, R0, -72));
            items.Add(Label($"odd{b}"));
            items.Add(Add64(R0, b));
            items.Add(StxMem(BPF_DW, R10, R0, (short)(-8 * (1 + b % 8))));
            items.Add(LdxMem(BPF_DW, R8, R10, (short)(-8 * (1 + (b + 3) % 8))));
            items.Add(Xor64(R0, R8));
        }
        items.Add(Label("out"));
        items.Add(Exit());
        return [.. items];
    }

    private static AsmItem[] TightLoop(int iterations) =>
    [
        Mov64Imm(R0, 1), Mov64Imm(R1, iterations), Mov64Imm(R2, 0x2545F491),
        Label("loop"),
        Mov64Reg(R3, R0), Lsh64(R3, 13), Xor64(R0, R3), Mov64Reg(R3, R0), Rsh64(R3, 7), Xor64(R0, R3),
        Mul64(R0, R2), Add64(R0, R1), Sub64(R1, 1), Jne(R1, 0, "loop"),
        Exit(),
    ];

    // RFC 1071 over the whole buffer, 16 bits at a time, each load bounds-checked; the counter bounds the loop for
    // the kernel's verifier (which does not know data_end).
    private static AsmItem[] Checksum() =>
    [
        Mov64Imm(R0, 0), Mov64Reg(R4, R2), Mov64Imm(R8, 750),
        Label("loop"),
        Mov64Reg(R5, R4), Add64(R5, 2), JmpReg(BPF_JGT, R5, R3, "fold"),
        LdxMem(BPF_H, R6, R4, 0), Add64(R0, R6), Mov64Reg(R4, R5), Sub64(R8, 1), Jne(R8, 0, "loop"),
        Label("fold"),
        Mov64Reg(R1, R0), Rsh64(R1, 16), And64(R0, 0xffff), Add64(R0, R1),
        Mov64Reg(R1, R0), Rsh64(R1, 16), And64(R0, 0xffff), Add64(R0, R1),
        Xor64(R0, 0xffff),
        Exit(),
    ];

    // Ethernet (ethertype IPv4) -> IPv4 (variable IHL, protocol TCP) -> TCP: returns dport << 8 | flags, or 0.
    private static AsmItem[] Parser() =>
    [
        Mov64Imm(R0, 0),
        Mov64Reg(R4, R2), Add64(R4, 14), JmpReg(BPF_JGT, R4, R3, "out"),
        LdxMem(BPF_H, R5, R2, 12), Jne(R5, 0x0008, "out"),                     // htons(ETH_P_IP)
        Mov64Reg(R5, R4), Add64(R5, 20), JmpReg(BPF_JGT, R5, R3, "out"),
        LdxMem(BPF_B, R6, R4, 0), And64(R6, 0x0f), Lsh64(R6, 2), Jlt(R6, 20, "out"),
        LdxMem(BPF_B, R7, R4, 9), Jne(R7, 6, "out"),                           // IPPROTO_TCP
        Add64(R4, R6),                                                         // the TCP header
        Mov64Reg(R5, R4), Add64(R5, 20), JmpReg(BPF_JGT, R5, R3, "out"),
        LdxMem(BPF_H, R0, R4, 2), Endian(BPF_TO_BE, R0, 16), Lsh64(R0, 8),
        LdxMem(BPF_B, R7, R4, 13), Or64(R0, R7),
        Label("out"),
        Exit(),
    ];

    // Every 8-byte word: load, mix with a running value, store back, accumulate.
    private static AsmItem[] Memory64() =>
    [
        Mov64Imm(R0, 0), Mov64Reg(R4, R2), Mov64Imm(R8, 188),
        Label("loop"),
        Mov64Reg(R5, R4), Add64(R5, 8), JmpReg(BPF_JGT, R5, R3, "out"),
        LdxMem(BPF_DW, R6, R4, 0), Xor64(R6, R0), Add64(R6, 1), StxMem(BPF_DW, R4, R6, 0), Add64(R0, R6),
        Mov64Reg(R4, R5), Sub64(R8, 1), Jne(R8, 0, "loop"),
        Label("out"),
        Exit(),
    ];

    private static AsmItem[] Helpers(int calls, int helper)
    {
        var items = new List<AsmItem> { Mov64Imm(R6, 0) };
        for (int i = 0; i < calls; i++)
        {
            items.Add(Call(helper));
            items.Add(Add64(R6, R0));
        }
        items.Add(Mov64Reg(R0, R6));
        items.Add(Exit());
        return [.. items];
    }
}
