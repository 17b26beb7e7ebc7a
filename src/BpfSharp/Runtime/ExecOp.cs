namespace BpfSharp.Runtime;

/// <summary>Operation slots inside an ALU block of <see cref="ExecOp"/>; the same order in every block.</summary>
internal static class AluSlot
{
    public const byte Add = 0;
    public const byte Sub = 1;
    public const byte Mul = 2;
    public const byte Div = 3;
    public const byte SDiv = 4;
    public const byte Or = 5;
    public const byte And = 6;
    public const byte Lsh = 7;
    public const byte Rsh = 8;
    public const byte Neg = 9;
    public const byte Mod = 10;
    public const byte SMod = 11;
    public const byte Xor = 12;
    public const byte Mov = 13;
    public const byte Arsh = 14;
    public const byte MovSx8 = 15;
    public const byte MovSx16 = 16;
    public const byte MovSx32 = 17;
    public const byte Count = 18;
}

/// <summary>Condition slots inside a conditional-jump block of <see cref="ExecOp"/>.</summary>
internal static class JmpSlot
{
    public const byte Jeq = 0;
    public const byte Jgt = 1;
    public const byte Jge = 2;
    public const byte Jset = 3;
    public const byte Jne = 4;
    public const byte Jsgt = 5;
    public const byte Jsge = 6;
    public const byte Jlt = 7;
    public const byte Jle = 8;
    public const byte Jslt = 9;
    public const byte Jsle = 10;
    public const byte Count = 11;
}

/// <summary>Operation slots inside an atomic block of <see cref="ExecOp"/>.</summary>
internal static class AtomicSlot
{
    public const byte Add = 0;
    public const byte Or = 1;
    public const byte And = 2;
    public const byte Xor = 3;
    public const byte FetchAdd = 4;
    public const byte FetchOr = 5;
    public const byte FetchAnd = 6;
    public const byte FetchXor = 7;
    public const byte Xchg = 8;
    public const byte CmpXchg = 9;
    public const byte Count = 10;
}

/// <summary>
/// The interpreter's compact operation code: one value per (operation, width, operand form), so
/// the dispatch loop switches once per instruction. Built from <see cref="Isa.OpcodeTable"/> by
/// <see cref="PreDecoder"/>. ALU, jump and atomic operations come in blocks indexed by the slot classes above.
/// </summary>
internal enum ExecOp : byte
{
    // ALU64, immediate operand.
    Alu64K = 0,
    Add64K = Alu64K + AluSlot.Add,
    Sub64K = Alu64K + AluSlot.Sub,
    Mul64K = Alu64K + AluSlot.Mul,
    Div64K = Alu64K + AluSlot.Div,
    SDiv64K = Alu64K + AluSlot.SDiv,
    Or64K = Alu64K + AluSlot.Or,
    And64K = Alu64K + AluSlot.And,
    Lsh64K = Alu64K + AluSlot.Lsh,
    Rsh64K = Alu64K + AluSlot.Rsh,
    Neg64 = Alu64K + AluSlot.Neg,
    Mod64K = Alu64K + AluSlot.Mod,
    SMod64K = Alu64K + AluSlot.SMod,
    Xor64K = Alu64K + AluSlot.Xor,
    Mov64K = Alu64K + AluSlot.Mov,
    Arsh64K = Alu64K + AluSlot.Arsh,
    // ALU64, register operand.
    Alu64X = Alu64K + AluSlot.Count,
    Add64X = Alu64X + AluSlot.Add,
    Sub64X = Alu64X + AluSlot.Sub,
    Mul64X = Alu64X + AluSlot.Mul,
    Div64X = Alu64X + AluSlot.Div,
    SDiv64X = Alu64X + AluSlot.SDiv,
    Or64X = Alu64X + AluSlot.Or,
    And64X = Alu64X + AluSlot.And,
    Lsh64X = Alu64X + AluSlot.Lsh,
    Rsh64X = Alu64X + AluSlot.Rsh,
    Mod64X = Alu64X + AluSlot.Mod,
    SMod64X = Alu64X + AluSlot.SMod,
    Xor64X = Alu64X + AluSlot.Xor,
    Mov64X = Alu64X + AluSlot.Mov,
    Arsh64X = Alu64X + AluSlot.Arsh,
    Movsx64B = Alu64X + AluSlot.MovSx8,
    Movsx64H = Alu64X + AluSlot.MovSx16,
    Movsx64W = Alu64X + AluSlot.MovSx32,
    // ALU32, immediate operand.
    Alu32K = Alu64X + AluSlot.Count,
    Add32K = Alu32K + AluSlot.Add,
    Sub32K = Alu32K + AluSlot.Sub,
    Mul32K = Alu32K + AluSlot.Mul,
    Div32K = Alu32K + AluSlot.Div,
    SDiv32K = Alu32K + AluSlot.SDiv,
    Or32K = Alu32K + AluSlot.Or,
    And32K = Alu32K + AluSlot.And,
    Lsh32K = Alu32K + AluSlot.Lsh,
    Rsh32K = Alu32K + AluSlot.Rsh,
    Neg32 = Alu32K + AluSlot.Neg,
    Mod32K = Alu32K + AluSlot.Mod,
    SMod32K = Alu32K + AluSlot.SMod,
    Xor32K = Alu32K + AluSlot.Xor,
    Mov32K = Alu32K + AluSlot.Mov,
    Arsh32K = Alu32K + AluSlot.Arsh,
    // ALU32, register operand.
    Alu32X = Alu32K + AluSlot.Count,
    Add32X = Alu32X + AluSlot.Add,
    Sub32X = Alu32X + AluSlot.Sub,
    Mul32X = Alu32X + AluSlot.Mul,
    Div32X = Alu32X + AluSlot.Div,
    SDiv32X = Alu32X + AluSlot.SDiv,
    Or32X = Alu32X + AluSlot.Or,
    And32X = Alu32X + AluSlot.And,
    Lsh32X = Alu32X + AluSlot.Lsh,
    Rsh32X = Alu32X + AluSlot.Rsh,
    Mod32X = Alu32X + AluSlot.Mod,
    SMod32X = Alu32X + AluSlot.SMod,
    Xor32X = Alu32X + AluSlot.Xor,
    Mov32X = Alu32X + AluSlot.Mov,
    Arsh32X = Alu32X + AluSlot.Arsh,
    Movsx32B = Alu32X + AluSlot.MovSx8,
    Movsx32H = Alu32X + AluSlot.MovSx16,

    // Byte swaps: le16/le32 truncate, le64 is a no-op, be and bswap swap (on a little-endian host).
    Trunc16 = Alu32X + AluSlot.Count,
    Trunc32,
    Nop,
    Swap16,
    Swap32,
    Swap64,

    // Jumps.
    Ja,
    /// <summary>may_goto: jump once the function's loop budget is spent (<see cref="MayGotoSemantics"/>).</summary>
    MayGoto,
    Jmp64K = MayGoto + 1,
    Jeq64K = Jmp64K + JmpSlot.Jeq,
    Jgt64K = Jmp64K + JmpSlot.Jgt,
    Jge64K = Jmp64K + JmpSlot.Jge,
    Jset64K = Jmp64K + JmpSlot.Jset,
    Jne64K = Jmp64K + JmpSlot.Jne,
    Jsgt64K = Jmp64K + JmpSlot.Jsgt,
    Jsge64K = Jmp64K + JmpSlot.Jsge,
    Jlt64K = Jmp64K + JmpSlot.Jlt,
    Jle64K = Jmp64K + JmpSlot.Jle,
    Jslt64K = Jmp64K + JmpSlot.Jslt,
    Jsle64K = Jmp64K + JmpSlot.Jsle,
    Jmp64X = Jmp64K + JmpSlot.Count,
    Jeq64X = Jmp64X + JmpSlot.Jeq,
    Jgt64X = Jmp64X + JmpSlot.Jgt,
    Jge64X = Jmp64X + JmpSlot.Jge,
    Jset64X = Jmp64X + JmpSlot.Jset,
    Jne64X = Jmp64X + JmpSlot.Jne,
    Jsgt64X = Jmp64X + JmpSlot.Jsgt,
    Jsge64X = Jmp64X + JmpSlot.Jsge,
    Jlt64X = Jmp64X + JmpSlot.Jlt,
    Jle64X = Jmp64X + JmpSlot.Jle,
    Jslt64X = Jmp64X + JmpSlot.Jslt,
    Jsle64X = Jmp64X + JmpSlot.Jsle,
    Jmp32K = Jmp64X + JmpSlot.Count,
    Jeq32K = Jmp32K + JmpSlot.Jeq,
    Jgt32K = Jmp32K + JmpSlot.Jgt,
    Jge32K = Jmp32K + JmpSlot.Jge,
    Jset32K = Jmp32K + JmpSlot.Jset,
    Jne32K = Jmp32K + JmpSlot.Jne,
    Jsgt32K = Jmp32K + JmpSlot.Jsgt,
    Jsge32K = Jmp32K + JmpSlot.Jsge,
    Jlt32K = Jmp32K + JmpSlot.Jlt,
    Jle32K = Jmp32K + JmpSlot.Jle,
    Jslt32K = Jmp32K + JmpSlot.Jslt,
    Jsle32K = Jmp32K + JmpSlot.Jsle,
    Jmp32X = Jmp32K + JmpSlot.Count,
    Jeq32X = Jmp32X + JmpSlot.Jeq,
    Jgt32X = Jmp32X + JmpSlot.Jgt,
    Jge32X = Jmp32X + JmpSlot.Jge,
    Jset32X = Jmp32X + JmpSlot.Jset,
    Jne32X = Jmp32X + JmpSlot.Jne,
    Jsgt32X = Jmp32X + JmpSlot.Jsgt,
    Jsge32X = Jmp32X + JmpSlot.Jsge,
    Jlt32X = Jmp32X + JmpSlot.Jlt,
    Jle32X = Jmp32X + JmpSlot.Jle,
    Jslt32X = Jmp32X + JmpSlot.Jslt,
    Jsle32X = Jmp32X + JmpSlot.Jsle,

    // Calls.
    Call = Jmp32X + JmpSlot.Count,
    CallUnknown,
    CallX,
    CallLocal,
    Exit,

    // Loads and stores.
    LdImm64,
    LdAbsB,
    LdAbsH,
    LdAbsW,
    LdIndB,
    LdIndH,
    LdIndW,
    LdxB,
    LdxH,
    LdxW,
    LdxDW,
    LdxSxB,
    LdxSxH,
    LdxSxW,
    // Loads through kernel pointers (kernel: BPF_PROBE_MEM, BPF_PROBE_MEMSX): a fault reads 0 (ProbeLoad).
    ProbeLdxB,
    ProbeLdxH,
    ProbeLdxW,
    ProbeLdxDW,
    ProbeLdxSxB,
    ProbeLdxSxH,
    ProbeLdxSxW,
    StB,
    StH,
    StW,
    StDW,
    StxB,
    StxH,
    StxW,
    StxDW,
    // Load-acquire and store-release (BPF_STX | BPF_ATOMIC with imm BPF_LOAD_ACQ / BPF_STORE_REL), by size.
    LdAcqB,
    LdAcqH,
    LdAcqW,
    LdAcqDW,
    StRelB,
    StRelH,
    StRelW,
    StRelDW,

    // Atomics.
    Atomic32,
    Add32 = Atomic32 + AtomicSlot.Add,
    Or32 = Atomic32 + AtomicSlot.Or,
    And32 = Atomic32 + AtomicSlot.And,
    Xor32 = Atomic32 + AtomicSlot.Xor,
    FetchAdd32 = Atomic32 + AtomicSlot.FetchAdd,
    FetchOr32 = Atomic32 + AtomicSlot.FetchOr,
    FetchAnd32 = Atomic32 + AtomicSlot.FetchAnd,
    FetchXor32 = Atomic32 + AtomicSlot.FetchXor,
    Xchg32 = Atomic32 + AtomicSlot.Xchg,
    CmpXchg32 = Atomic32 + AtomicSlot.CmpXchg,
    Atomic64 = Atomic32 + AtomicSlot.Count,
    Add64 = Atomic64 + AtomicSlot.Add,
    Or64 = Atomic64 + AtomicSlot.Or,
    And64 = Atomic64 + AtomicSlot.And,
    Xor64 = Atomic64 + AtomicSlot.Xor,
    FetchAdd64 = Atomic64 + AtomicSlot.FetchAdd,
    FetchOr64 = Atomic64 + AtomicSlot.FetchOr,
    FetchAnd64 = Atomic64 + AtomicSlot.FetchAnd,
    FetchXor64 = Atomic64 + AtomicSlot.FetchXor,
    Xchg64 = Atomic64 + AtomicSlot.Xchg,
    CmpXchg64 = Atomic64 + AtomicSlot.CmpXchg,

    // Sentinels.
    /// <summary>One past the last instruction: execution fell off the end.</summary>
    FellOffEnd = Atomic64 + AtomicSlot.Count,
    /// <summary>The second slot of an lddw; never executed (no jump may land there).</summary>
    Unreachable,
}
