using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.Verifier;

/// <summary>
/// kernel: bpf_opcode_in_insntable (kernel/bpf/core.c). The opcodes a loaded program may contain; any other is
/// "unknown opcode NN" before the verifier walks the program. It is the kernel's table, not the decoder's: the
/// decoder also reads callx (0x8d) for the ISA conformance suite, which the kernel does not accept.
/// </summary>
internal static class InsnTable
{
    private static readonly bool[] s_known = Build();

    /// <summary>True if the kernel accepts <paramref name="code"/> as an opcode.</summary>
    public static bool Contains(byte code) => s_known[code];

    private static bool[] Build()
    {
        var t = new bool[256];
        ReadOnlySpan<byte> aluOps = [BPF_ADD, BPF_SUB, BPF_AND, BPF_OR, BPF_LSH, BPF_RSH, BPF_XOR, BPF_MUL, BPF_MOV, BPF_ARSH, BPF_DIV, BPF_MOD];
        foreach (byte cls in (ReadOnlySpan<byte>)[BPF_ALU, BPF_ALU64])
        {
            foreach (byte op in aluOps)
                t[cls | op | BPF_X] = t[cls | op | BPF_K] = true;
            t[cls | BPF_NEG] = true;
        }
        t[BPF_ALU | BPF_END | BPF_TO_BE] = t[BPF_ALU | BPF_END | BPF_TO_LE] = true;
        t[BPF_ALU64 | BPF_END | BPF_TO_LE] = true;

        ReadOnlySpan<byte> jmpOps = [BPF_JEQ, BPF_JNE, BPF_JGT, BPF_JLT, BPF_JGE, BPF_JLE, BPF_JSGT, BPF_JSLT, BPF_JSGE, BPF_JSLE, BPF_JSET];
        foreach (byte cls in (ReadOnlySpan<byte>)[BPF_JMP, BPF_JMP32])
        {
            foreach (byte op in jmpOps)
                t[cls | op | BPF_X] = t[cls | op | BPF_K] = true;
            t[cls | BPF_JA] = true;
        }
        t[BPF_JMP | BPF_CALL] = t[BPF_JMP | BPF_EXIT] = t[BPF_JMP | BPF_JCOND] = true;

        foreach (byte size in (ReadOnlySpan<byte>)[BPF_B, BPF_H, BPF_W, BPF_DW])
            t[BPF_STX | BPF_ATOMIC | size] = t[BPF_STX | BPF_MEM | size] = t[BPF_ST | BPF_MEM | size] = t[BPF_LDX | BPF_MEM | size] = true;
        foreach (byte size in (ReadOnlySpan<byte>)[BPF_B, BPF_H, BPF_W])
            t[BPF_LDX | BPF_MEMSX | size] = t[BPF_LD | BPF_ABS | size] = t[BPF_LD | BPF_IND | size] = true;
        t[BPF_LD | BPF_IMM | BPF_DW] = true;
        return t;
    }
}
