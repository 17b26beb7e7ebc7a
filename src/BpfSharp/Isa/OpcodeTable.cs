using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.Isa;

/// <summary>What an opcode does, at the level every stage (decoder, interpreter, JIT, verifier, disassembler) dispatches on.</summary>
public enum OpKind : byte
{
    /// <summary>Not an instruction of the ISA.</summary>
    Invalid,
    /// <summary>ALU or ALU64 operation (including neg, mov, movsx, sdiv, smod).</summary>
    Alu,
    /// <summary>Byte swap: ALU END (le/be) or ALU64 END (bswap).</summary>
    End,
    /// <summary>Unconditional jump: ja (16-bit offset) or gotol (JMP32, 32-bit imm).</summary>
    Ja,
    /// <summary>Conditional jump, JMP or JMP32.</summary>
    CondJmp,
    /// <summary>call: helper by id, bpf-to-bpf pseudo call, or kfunc.</summary>
    Call,
    /// <summary>callx: call the helper whose id is in the dst register.</summary>
    CallX,
    /// <summary>exit.</summary>
    Exit,
    /// <summary>lddw: 64-bit immediate, plain or pseudo.</summary>
    LdImm64,
    /// <summary>Legacy packet load at an absolute offset.</summary>
    LdAbs,
    /// <summary>Legacy packet load at src + imm.</summary>
    LdInd,
    /// <summary>Load dst = *(size *)(src + off).</summary>
    Ldx,
    /// <summary>Sign-extending load.</summary>
    LdxSx,
    /// <summary>Store *(size *)(dst + off) = imm.</summary>
    St,
    /// <summary>Store *(size *)(dst + off) = src.</summary>
    Stx,
    /// <summary>
    /// BPF_STX | BPF_ATOMIC, operation in imm: a read-modify-write on *(size *)(dst + off) (32- and 64-bit), or a
    /// load-acquire <c>dst = *(size *)(src + off)</c> or store-release <c>*(size *)(dst + off) = src</c> (any size).
    /// </summary>
    Atomic,
    /// <summary>
    /// may_goto (BPF_JMP | BPF_JCOND, kernel 6.9): falls through while the running function's loop budget lasts
    /// (counting it down), jumps to pc + off once it is spent.
    /// </summary>
    MayGoto,
}

/// <summary>The decoded properties of one opcode byte.</summary>
public readonly struct OpcodeInfo
{
    /// <summary>What the opcode does.</summary>
    public readonly OpKind Kind;
    /// <summary>The ALU or JMP operation bits (high nibble), or the mode bits for loads and stores.</summary>
    public readonly byte Op;
    /// <summary>True when the second operand is the src register (BPF_X).</summary>
    public readonly bool SrcIsReg;
    /// <summary>True for 64-bit ALU and 64-bit comparisons.</summary>
    public readonly bool Is64;
    /// <summary>Bytes accessed by a memory operation; 0 otherwise.</summary>
    public readonly byte AccessSize;

    internal OpcodeInfo(OpKind kind, byte op, bool srcIsReg, bool is64, byte accessSize)
    {
        Kind = kind;
        Op = op;
        SrcIsReg = srcIsReg;
        Is64 = is64;
        AccessSize = accessSize;
    }
}

/// <summary>
/// The one table of opcode properties (RFC 9669 sections 3-5). Every stage reads it instead
/// of re-deriving class, source and size bits.
/// </summary>
public static class OpcodeTable
{
    private static readonly OpcodeInfo[] s_table = Build();

    /// <summary>The properties of <paramref name="opcode"/>; <see cref="OpKind.Invalid"/> if it is not an instruction.</summary>
    public static ref readonly OpcodeInfo Get(byte opcode) => ref s_table[opcode];

    private static OpcodeInfo[] Build()
    {
        var t = new OpcodeInfo[256];
        for (int i = 0; i < 256; i++)
            t[i] = Classify((byte)i);
        return t;
    }

    private static OpcodeInfo Classify(byte code)
    {
        byte cls = Class(code);
        switch (cls)
        {
            case BPF_ALU:
            case BPF_ALU64:
            {
                byte op = Op(code);
                bool x = Source(code) == BPF_X;
                bool is64 = cls == BPF_ALU64;
                if (op == BPF_END)
                {
                    // ALU64 END only exists in its BPF_TO_LE form (unconditional bswap).
                    if (is64 && x) return default;
                    return new OpcodeInfo(OpKind.End, op, x, is64, 0);
                }
                if (op > BPF_END) return default;
                if (op == BPF_NEG && x) return default;
                return new OpcodeInfo(OpKind.Alu, op, x, is64, 0);
            }
            case BPF_JMP:
            case BPF_JMP32:
            {
                byte op = Op(code);
                bool x = Source(code) == BPF_X;
                bool is64 = cls == BPF_JMP;
                switch (op)
                {
                    case BPF_JA: return x ? default : new OpcodeInfo(OpKind.Ja, op, false, is64, 0);
                    case BPF_CALL:
                        if (!is64) return default;
                        return new OpcodeInfo(x ? OpKind.CallX : OpKind.Call, op, x, true, 0);
                    case BPF_EXIT: return is64 && !x ? new OpcodeInfo(OpKind.Exit, op, false, true, 0) : default;
                    case BPF_JCOND: return is64 && !x ? new OpcodeInfo(OpKind.MayGoto, op, false, true, 0) : default;
                    case 0xf0: return default;
                    default: return new OpcodeInfo(OpKind.CondJmp, op, x, is64, 0);
                }
            }
            case BPF_LD:
            {
                byte mode = Mode(code), size = Size(code);
                if (mode == BPF_IMM && size == BPF_DW) return new OpcodeInfo(OpKind.LdImm64, mode, false, true, 8);
                if ((mode == BPF_ABS || mode == BPF_IND) && size != BPF_DW)
                    return new OpcodeInfo(mode == BPF_ABS ? OpKind.LdAbs : OpKind.LdInd, mode, mode == BPF_IND, false, (byte)SizeBytes(size));
                return default;
            }
            case BPF_LDX:
            {
                byte mode = Mode(code), size = Size(code);
                if (mode == BPF_MEM) return new OpcodeInfo(OpKind.Ldx, mode, true, true, (byte)SizeBytes(size));
                if (mode == BPF_MEMSX && size != BPF_DW) return new OpcodeInfo(OpKind.LdxSx, mode, true, true, (byte)SizeBytes(size));
                return default;
            }
            case BPF_ST:
            {
                byte mode = Mode(code), size = Size(code);
                return mode == BPF_MEM ? new OpcodeInfo(OpKind.St, mode, false, true, (byte)SizeBytes(size)) : default;
            }
            default: // BPF_STX
            {
                byte mode = Mode(code), size = Size(code);
                if (mode == BPF_MEM) return new OpcodeInfo(OpKind.Stx, mode, true, true, (byte)SizeBytes(size));
                if (mode == BPF_ATOMIC) // the operand size each operation allows is the decoder's to check
                    return new OpcodeInfo(OpKind.Atomic, mode, true, size == BPF_DW, (byte)SizeBytes(size));
                return default;
            }
        }
    }

    /// <summary>True if <paramref name="imm"/> names an atomic operation of BPF_STX | BPF_ATOMIC.</summary>
    public static bool IsAtomicOp(int imm) => imm is BPF_LOAD_ACQ or BPF_STORE_REL || IsAtomicRmw(imm);

    /// <summary>True if <paramref name="imm"/> names a read-modify-write atomic (32- and 64-bit only).</summary>
    public static bool IsAtomicRmw(int imm) => imm switch
    {
        BPF_ADD or BPF_OR or BPF_AND or BPF_XOR => true,
        BPF_ADD | BPF_FETCH or BPF_OR | BPF_FETCH or BPF_AND | BPF_FETCH or BPF_XOR | BPF_FETCH => true,
        BPF_XCHG or BPF_CMPXCHG => true,
        _ => false,
    };
}
