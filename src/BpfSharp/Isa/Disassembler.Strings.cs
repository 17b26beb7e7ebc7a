using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.Isa;

// The operator and type spellings of the kernel's printer (kernel/bpf/disasm.c: bpf_alu_string,
// bpf_jmp_string, bpf_ldst_string, bpf_ldsx_string, bpf_atomic_alu_string, bpf_movsx_string),
// shared by the disassembler and the assembler so the two cannot drift apart.
public static partial class Disassembler
{
    // Kernel UAPI values outside RFC 9669 that the kernel's printer knows (include/uapi/linux/bpf.h).
    // BpfSharp's decoder rejects these instructions; they are printed (and parsed) only so that a
    // kernel listing reads the same here.
    internal const short BPF_ADDR_SPACE_CAST = 1;

    /// <summary>The assignment operator of an ALU operation (<c>+=</c>, <c>s&gt;&gt;=</c>, <c>=</c>), or null for neg/end.</summary>
    internal static string? AluOperator(byte op) => op switch
    {
        BPF_ADD => "+=",
        BPF_SUB => "-=",
        BPF_MUL => "*=",
        BPF_DIV => "/=",
        BPF_OR => "|=",
        BPF_AND => "&=",
        BPF_LSH => "<<=",
        BPF_RSH => ">>=",
        BPF_MOD => "%=",
        BPF_XOR => "^=",
        BPF_MOV => "=",
        BPF_ARSH => "s>>=",
        _ => null,
    };

    /// <summary>The signed variants selected by offset 1: <c>s/=</c> and <c>s%=</c>.</summary>
    internal static string? SignedAluOperator(byte op) => op switch
    {
        BPF_DIV => "s/=",
        BPF_MOD => "s%=",
        _ => null,
    };

    /// <summary>The comparison of a conditional jump (<c>==</c>, <c>s&lt;=</c>, <c>&amp;</c>), or null.</summary>
    internal static string? JmpOperator(byte op) => op switch
    {
        BPF_JEQ => "==",
        BPF_JGT => ">",
        BPF_JGE => ">=",
        BPF_JSET => "&",
        BPF_JNE => "!=",
        BPF_JSGT => "s>",
        BPF_JSGE => "s>=",
        BPF_JLT => "<",
        BPF_JLE => "<=",
        BPF_JSLT => "s<",
        BPF_JSLE => "s<=",
        _ => null,
    };

    /// <summary>The C type of a load/store size: u8, u16, u32, u64.</summary>
    internal static string SizeType(byte size) => size switch
    {
        BPF_B => "u8",
        BPF_H => "u16",
        BPF_W => "u32",
        _ => "u64",
    };

    /// <summary>The C type of a sign-extending load size: s8, s16, s32.</summary>
    internal static string SignedSizeType(byte size) => size switch
    {
        BPF_B => "s8",
        BPF_H => "s16",
        _ => "s32",
    };

    /// <summary>The name of an atomic ALU operation in <c>atomic_fetch_NAME</c>.</summary>
    internal static string? AtomicOpName(int op) => op switch
    {
        BPF_ADD => "add",
        BPF_AND => "and",
        BPF_OR => "or",
        BPF_XOR => "xor",
        _ => null,
    };

    /// <summary>The cast of a sign-extending move by its offset (8, 16, 32), or null.</summary>
    internal static string? MovsxCast(short off) => off switch
    {
        8 => "(s8)",
        16 => "(s16)",
        32 => "(s32)",
        _ => null,
    };
}
