namespace BpfSharp.Isa;

/// <summary>
/// The opcode field constants of the BPF instruction set, named as the kernel's
/// <c>include/uapi/linux/bpf.h</c> and <c>bpf_common.h</c> name them (RFC 9669 section 3).
/// </summary>
public static class Opcodes
{
    // Instruction classes (low 3 bits).
    /// <summary>Non-standard load operations (lddw, legacy packet loads).</summary>
    public const byte BPF_LD = 0x00;
    /// <summary>Load into register.</summary>
    public const byte BPF_LDX = 0x01;
    /// <summary>Store from immediate.</summary>
    public const byte BPF_ST = 0x02;
    /// <summary>Store from register (and atomics).</summary>
    public const byte BPF_STX = 0x03;
    /// <summary>32-bit arithmetic.</summary>
    public const byte BPF_ALU = 0x04;
    /// <summary>64-bit jumps, calls, exit.</summary>
    public const byte BPF_JMP = 0x05;
    /// <summary>32-bit jumps.</summary>
    public const byte BPF_JMP32 = 0x06;
    /// <summary>64-bit arithmetic.</summary>
    public const byte BPF_ALU64 = 0x07;

    // Memory access sizes (bits 3-4).
    /// <summary>Word (4 bytes).</summary>
    public const byte BPF_W = 0x00;
    /// <summary>Half word (2 bytes).</summary>
    public const byte BPF_H = 0x08;
    /// <summary>Byte.</summary>
    public const byte BPF_B = 0x10;
    /// <summary>Double word (8 bytes).</summary>
    public const byte BPF_DW = 0x18;

    // Memory modes (bits 5-7).
    /// <summary>64-bit immediate (lddw).</summary>
    public const byte BPF_IMM = 0x00;
    /// <summary>Legacy absolute packet load.</summary>
    public const byte BPF_ABS = 0x20;
    /// <summary>Legacy indirect packet load.</summary>
    public const byte BPF_IND = 0x40;
    /// <summary>Regular load/store.</summary>
    public const byte BPF_MEM = 0x60;
    /// <summary>Sign-extending load.</summary>
    public const byte BPF_MEMSX = 0x80;
    /// <summary>Atomic operation.</summary>
    public const byte BPF_ATOMIC = 0xc0;

    // Source operand (bit 3) for ALU and JMP.
    /// <summary>Source is the 32-bit immediate.</summary>
    public const byte BPF_K = 0x00;
    /// <summary>Source is the src register.</summary>
    public const byte BPF_X = 0x08;
    /// <summary>Byte swap to little endian (ALU END).</summary>
    public const byte BPF_TO_LE = 0x00;
    /// <summary>Byte swap to big endian (ALU END).</summary>
    public const byte BPF_TO_BE = 0x08;

    // ALU operation codes (high 4 bits).
    /// <summary>dst += src</summary>
    public const byte BPF_ADD = 0x00;
    /// <summary>dst -= src</summary>
    public const byte BPF_SUB = 0x10;
    /// <summary>dst *= src</summary>
    public const byte BPF_MUL = 0x20;
    /// <summary>dst /= src (offset 1: signed)</summary>
    public const byte BPF_DIV = 0x30;
    /// <summary>dst |= src</summary>
    public const byte BPF_OR = 0x40;
    /// <summary>dst &amp;= src</summary>
    public const byte BPF_AND = 0x50;
    /// <summary>dst &lt;&lt;= src</summary>
    public const byte BPF_LSH = 0x60;
    /// <summary>dst &gt;&gt;= src (logical)</summary>
    public const byte BPF_RSH = 0x70;
    /// <summary>dst = -dst</summary>
    public const byte BPF_NEG = 0x80;
    /// <summary>dst %= src (offset 1: signed)</summary>
    public const byte BPF_MOD = 0x90;
    /// <summary>dst ^= src</summary>
    public const byte BPF_XOR = 0xa0;
    /// <summary>dst = src (offset 8/16/32: sign extending)</summary>
    public const byte BPF_MOV = 0xb0;
    /// <summary>dst &gt;&gt;= src (arithmetic)</summary>
    public const byte BPF_ARSH = 0xc0;
    /// <summary>Byte swap.</summary>
    public const byte BPF_END = 0xd0;

    // Jump operation codes (high 4 bits).
    /// <summary>Unconditional jump.</summary>
    public const byte BPF_JA = 0x00;
    /// <summary>Jump if equal.</summary>
    public const byte BPF_JEQ = 0x10;
    /// <summary>Jump if unsigned greater.</summary>
    public const byte BPF_JGT = 0x20;
    /// <summary>Jump if unsigned greater or equal.</summary>
    public const byte BPF_JGE = 0x30;
    /// <summary>Jump if dst &amp; src.</summary>
    public const byte BPF_JSET = 0x40;
    /// <summary>Jump if not equal.</summary>
    public const byte BPF_JNE = 0x50;
    /// <summary>Jump if signed greater.</summary>
    public const byte BPF_JSGT = 0x60;
    /// <summary>Jump if signed greater or equal.</summary>
    public const byte BPF_JSGE = 0x70;
    /// <summary>Function call.</summary>
    public const byte BPF_CALL = 0x80;
    /// <summary>Return.</summary>
    public const byte BPF_EXIT = 0x90;
    /// <summary>Jump if unsigned less.</summary>
    public const byte BPF_JLT = 0xa0;
    /// <summary>Jump if unsigned less or equal.</summary>
    public const byte BPF_JLE = 0xb0;
    /// <summary>Jump if signed less.</summary>
    public const byte BPF_JSLT = 0xc0;
    /// <summary>Jump if signed less or equal.</summary>
    public const byte BPF_JSLE = 0xd0;
    /// <summary>
    /// Conditional pseudo jump (kernel 6.9, not in RFC 9669): BPF_JMP | BPF_JCOND | BPF_K with src_reg
    /// <see cref="BPF_MAY_GOTO"/> is <c>may_goto</c>.
    /// </summary>
    public const byte BPF_JCOND = 0xe0;

    // Atomic operations (imm field of BPF_STX | BPF_ATOMIC).
    /// <summary>Atomic modifier: return the old value.</summary>
    public const int BPF_FETCH = 0x01;
    /// <summary>Atomic exchange.</summary>
    public const int BPF_XCHG = 0xe0 | BPF_FETCH;
    /// <summary>Atomic compare and exchange against r0.</summary>
    public const int BPF_CMPXCHG = 0xf0 | BPF_FETCH;
    /// <summary>Load-acquire: <c>dst = *(size *)(src + off)</c> ordered before every later access (kernel 6.15, not in RFC 9669).</summary>
    public const int BPF_LOAD_ACQ = 0x100;
    /// <summary>Store-release: <c>*(size *)(dst + off) = src</c> ordered after every earlier access (kernel 6.15, not in RFC 9669).</summary>
    public const int BPF_STORE_REL = 0x110;

    // src_reg of BPF_LD | BPF_DW | BPF_IMM.
    /// <summary>imm is a map fd.</summary>
    public const byte BPF_PSEUDO_MAP_FD = 1;
    /// <summary>imm is a map fd, next imm an offset into its value.</summary>
    public const byte BPF_PSEUDO_MAP_VALUE = 2;
    /// <summary>imm is a BTF id of a kernel variable.</summary>
    public const byte BPF_PSEUDO_BTF_ID = 3;
    /// <summary>imm is a pc-relative offset to a subprogram.</summary>
    public const byte BPF_PSEUDO_FUNC = 4;
    /// <summary>imm is an index into fd_array.</summary>
    public const byte BPF_PSEUDO_MAP_IDX = 5;
    /// <summary>imm is an index into fd_array, next imm an offset into its value.</summary>
    public const byte BPF_PSEUDO_MAP_IDX_VALUE = 6;

    // src_reg of BPF_JMP | BPF_CALL.
    /// <summary>imm is a pc-relative offset to a subprogram (bpf-to-bpf call).</summary>
    public const byte BPF_PSEUDO_CALL = 1;
    /// <summary>imm is the BTF id of a kernel function.</summary>
    public const byte BPF_PSEUDO_KFUNC_CALL = 2;

    // src_reg of BPF_JMP | BPF_JCOND.
    /// <summary>may_goto: goto pc + off once the loop budget of the running function is spent, else fall through.</summary>
    public const byte BPF_MAY_GOTO = 0;

    /// <summary>
    /// The most iterations a function invocation's <c>may_goto</c> instructions fall through, together, before they jump
    /// (kernel: BPF_MAX_LOOPS, 8 * 1024 * 1024).
    /// </summary>
    public const int BPF_MAX_LOOPS = 8 * 1024 * 1024;

    // Whole opcodes used often enough to name.
    /// <summary>lddw: BPF_LD | BPF_DW | BPF_IMM.</summary>
    public const byte LD_IMM64 = BPF_LD | BPF_DW | BPF_IMM;
    /// <summary>call: BPF_JMP | BPF_CALL | BPF_K.</summary>
    public const byte CALL = BPF_JMP | BPF_CALL;
    /// <summary>callx: BPF_JMP | BPF_CALL | BPF_X, target register in dst.</summary>
    public const byte CALLX = BPF_JMP | BPF_CALL | BPF_X;
    /// <summary>exit: BPF_JMP | BPF_EXIT.</summary>
    public const byte EXIT = BPF_JMP | BPF_EXIT;
    /// <summary>ja: BPF_JMP | BPF_JA.</summary>
    public const byte JA = BPF_JMP | BPF_JA;
    /// <summary>gotol: BPF_JMP32 | BPF_JA, 32-bit offset in imm.</summary>
    public const byte JA32 = BPF_JMP32 | BPF_JA;
    /// <summary>may_goto: BPF_JMP | BPF_JCOND | BPF_K with src_reg <see cref="BPF_MAY_GOTO"/> (0xe5).</summary>
    public const byte MAY_GOTO = BPF_JMP | BPF_JCOND;

    /// <summary>The class bits of an opcode.</summary>
    public static byte Class(byte opcode) => (byte)(opcode & 0x07);
    /// <summary>The operation bits (high nibble) of an ALU or JMP opcode.</summary>
    public static byte Op(byte opcode) => (byte)(opcode & 0xf0);
    /// <summary>The source bit of an ALU or JMP opcode.</summary>
    public static byte Source(byte opcode) => (byte)(opcode & 0x08);
    /// <summary>The size bits of a load/store opcode.</summary>
    public static byte Size(byte opcode) => (byte)(opcode & 0x18);
    /// <summary>The mode bits of a load/store opcode.</summary>
    public static byte Mode(byte opcode) => (byte)(opcode & 0xe0);
    /// <summary>Bytes accessed by a load/store size code.</summary>
    public static int SizeBytes(byte size) => size switch { BPF_W => 4, BPF_H => 2, BPF_B => 1, _ => 8 };
}
