using System.Buffers.Binary;
using System.Reflection.Emit;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace BpfSharp.Runtime.Jit;

// ALU, ALU64 and END. IL operators where RFC 9669 agrees with them (add, sub, mul, or, and, xor, neg, mov,
// sign-extending moves, shifts with the amount masked); AluSemantics, the interpreter's own functions, for division
// and modulo (by zero, LLONG_MIN / -1); byte swaps call
// BinaryPrimitives.ReverseEndianness. 32-bit forms compute on int32 and zero-extend (conv.u8), as the interpreter does.
internal sealed partial class MethodCompiler
{
    private static readonly MethodInfo Div64 = Method(typeof(AluSemantics), nameof(AluSemantics.Div64));
    private static readonly MethodInfo SDiv64 = Method(typeof(AluSemantics), nameof(AluSemantics.SDiv64));
    private static readonly MethodInfo Mod64 = Method(typeof(AluSemantics), nameof(AluSemantics.Mod64));
    private static readonly MethodInfo SMod64 = Method(typeof(AluSemantics), nameof(AluSemantics.SMod64));
    private static readonly MethodInfo Div32 = Method(typeof(AluSemantics), nameof(AluSemantics.Div32));
    private static readonly MethodInfo SDiv32 = Method(typeof(AluSemantics), nameof(AluSemantics.SDiv32));
    private static readonly MethodInfo Mod32 = Method(typeof(AluSemantics), nameof(AluSemantics.Mod32));
    private static readonly MethodInfo SMod32 = Method(typeof(AluSemantics), nameof(AluSemantics.SMod32));

    // BinaryPrimitives.ReverseEndianness, an intrinsic (bswap/ror), called directly rather than through AluSemantics.Bswap
    // (the same functions), so RyuJIT need not inline a switch on the width.
    private static readonly MethodInfo Swap32 = typeof(BinaryPrimitives).GetMethod(nameof(BinaryPrimitives.ReverseEndianness), [typeof(uint)])!;
    private static readonly MethodInfo Swap64 = typeof(BinaryPrimitives).GetMethod(nameof(BinaryPrimitives.ReverseEndianness), [typeof(ulong)])!;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Alu(in DecodedInsn i)
    {
        bool is64 = i.Op < ExecOp.Alu32K;
        bool isReg = i.Op is >= ExecOp.Alu64X and < ExecOp.Alu32K || i.Op >= ExecOp.Alu32X;
        int block = (int)(is64 ? (isReg ? ExecOp.Alu64X : ExecOp.Alu64K) : (isReg ? ExecOp.Alu32X : ExecOp.Alu32K));
        byte slot = (byte)((int)i.Op - block);
        if (is64) Alu64(slot, in i, isReg);
        else Alu32(slot, in i, isReg);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Alu64(byte slot, in DecodedInsn i, bool isReg)
    {
        switch (slot)
        {
            case AluSlot.Mov: Source64(in i, isReg); break;
            case AluSlot.Neg: Ld(i.Dst); _il.Emit(OpCodes.Neg); break;
            case AluSlot.MovSx8: Ld(i.Src); _il.Emit(OpCodes.Conv_I1); _il.Emit(OpCodes.Conv_I8); break;
            case AluSlot.MovSx16: Ld(i.Src); _il.Emit(OpCodes.Conv_I2); _il.Emit(OpCodes.Conv_I8); break;
            case AluSlot.MovSx32: Ld(i.Src); _il.Emit(OpCodes.Conv_I4); _il.Emit(OpCodes.Conv_I8); break;
            case AluSlot.Lsh or AluSlot.Rsh or AluSlot.Arsh:
                Ld(i.Dst);
                ShiftAmount(in i, isReg, 63);
                _il.Emit(slot switch { AluSlot.Lsh => OpCodes.Shl, AluSlot.Rsh => OpCodes.Shr_Un, _ => OpCodes.Shr });
                break;
            default:
                Ld(i.Dst);
                Source64(in i, isReg);
                switch (slot)
                {
                    case AluSlot.Add: _il.Emit(OpCodes.Add); break;
                    case AluSlot.Sub: _il.Emit(OpCodes.Sub); break;
                    case AluSlot.Mul: _il.Emit(OpCodes.Mul); break;
                    case AluSlot.Or: _il.Emit(OpCodes.Or); break;
                    case AluSlot.And: _il.Emit(OpCodes.And); break;
                    case AluSlot.Xor: _il.Emit(OpCodes.Xor); break;
                    case AluSlot.Div: _il.Emit(OpCodes.Call, Div64); break;
                    case AluSlot.SDiv: _il.Emit(OpCodes.Call, SDiv64); break;
                    case AluSlot.Mod: _il.Emit(OpCodes.Call, Mod64); break;
                    case AluSlot.SMod: _il.Emit(OpCodes.Call, SMod64); break;
                    default: throw new InvalidOperationException($"ALU64 slot {slot} has no translation");
                }
                break;
        }
        St(i.Dst);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Alu32(byte slot, in DecodedInsn i, bool isReg)
    {
        switch (slot)
        {
            case AluSlot.Mov: Source32(in i, isReg); break;
            case AluSlot.Neg: Ld(i.Dst); _il.Emit(OpCodes.Conv_U4); _il.Emit(OpCodes.Neg); break;
            case AluSlot.MovSx8: Ld(i.Src); _il.Emit(OpCodes.Conv_I1); break;
            case AluSlot.MovSx16: Ld(i.Src); _il.Emit(OpCodes.Conv_I2); break;
            case AluSlot.Add or AluSlot.Sub or AluSlot.Mul or AluSlot.Or or AluSlot.And or AluSlot.Xor:
                Ld(i.Dst);
                _il.Emit(OpCodes.Conv_U4);
                Source32(in i, isReg);
                _il.Emit(slot switch
                {
                    AluSlot.Add => OpCodes.Add,
                    AluSlot.Sub => OpCodes.Sub,
                    AluSlot.Mul => OpCodes.Mul,
                    AluSlot.Or => OpCodes.Or,
                    AluSlot.And => OpCodes.And,
                    _ => OpCodes.Xor,
                });
                break;
            case AluSlot.Lsh or AluSlot.Rsh:
                Ld(i.Dst);
                _il.Emit(OpCodes.Conv_U4);
                ShiftAmount(in i, isReg, 31);
                _il.Emit(slot == AluSlot.Lsh ? OpCodes.Shl : OpCodes.Shr_Un);
                break;
            case AluSlot.Arsh:
                Ld(i.Dst);
                _il.Emit(OpCodes.Conv_I4);
                ShiftAmount(in i, isReg, 31);
                _il.Emit(OpCodes.Shr);
                break;
            default:
                // AluSemantics' 32-bit forms take register values and return the zero-extended result.
                Ld(i.Dst);
                Source64(in i, isReg);
                _il.Emit(OpCodes.Call, slot switch
                {
                    AluSlot.Div => Div32,
                    AluSlot.SDiv => SDiv32,
                    AluSlot.Mod => Mod32,
                    AluSlot.SMod => SMod32,
                    _ => throw new InvalidOperationException($"ALU32 slot {slot} has no translation"),
                });
                St(i.Dst);
                return;
        }
        _il.Emit(OpCodes.Conv_U8); // int32 on the IL stack, zero-extended to the register
        St(i.Dst);
    }

    // The 64-bit source operand: src, or imm sign-extended to 64 bits.
    private void Source64(in DecodedInsn i, bool isReg)
    {
        if (isReg) Ld(i.Src);
        else LdcI8(i.Imm);
    }

    // The shift amount (int32 on the IL stack), masked to mask (63 or 31) as RFC 9669 says: imm & mask, or src & mask
    // (RyuJIT drops the and: x64 shifts mask the count themselves).
    private void ShiftAmount(in DecodedInsn i, bool isReg, int mask)
    {
        if (isReg)
        {
            Ld(i.Src);
            _il.Emit(OpCodes.Conv_I4);
            _il.Emit(OpCodes.Ldc_I4, mask);
            _il.Emit(OpCodes.And);
        }
        else
        {
            _il.Emit(OpCodes.Ldc_I4, (int)i.Imm & mask);
        }
    }

    // The 32-bit source operand (int32 on the IL stack): the low half of src, or imm.
    private void Source32(in DecodedInsn i, bool isReg)
    {
        if (isReg)
        {
            Ld(i.Src);
            _il.Emit(OpCodes.Conv_U4);
        }
        else
        {
            _il.Emit(OpCodes.Ldc_I4, (int)i.Imm);
        }
    }

    // le16/le32 truncate, le64 is nothing, be16/32/64 and bswap swap (PreDecoder picked by host byte order).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Endian(in DecodedInsn i)
    {
        switch (i.Op)
        {
            case ExecOp.Nop: return;
            case ExecOp.Trunc16: Ld(i.Dst); _il.Emit(OpCodes.Conv_U2); _il.Emit(OpCodes.Conv_U8); break;
            case ExecOp.Trunc32: Ld(i.Dst); _il.Emit(OpCodes.Conv_U4); _il.Emit(OpCodes.Conv_U8); break;
            case ExecOp.Swap16:
                // bswap32(x) >> 16 on the low 32 bits: RyuJIT's 16-bit form is a ror of a 16-bit register (a partial write)
                Ld(i.Dst); _il.Emit(OpCodes.Conv_U4); _il.Emit(OpCodes.Call, Swap32);
                _il.Emit(OpCodes.Ldc_I4, 16); _il.Emit(OpCodes.Shr_Un); _il.Emit(OpCodes.Conv_U8);
                break;
            case ExecOp.Swap32: Ld(i.Dst); _il.Emit(OpCodes.Conv_U4); _il.Emit(OpCodes.Call, Swap32); _il.Emit(OpCodes.Conv_U8); break;
            default: Ld(i.Dst); _il.Emit(OpCodes.Call, Swap64); break;
        }
        St(i.Dst);
    }
}
