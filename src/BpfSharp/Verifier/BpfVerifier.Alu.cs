using BpfSharp.Uapi;
using BpfSharp.Isa;
using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.Verifier;

// kernel: check_alu_op, adjust_reg_min_max_vals, adjust_scalar_min_max_vals.
public sealed partial class BpfVerifier
{
    private static readonly string[] AluNames =
        ["+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=", "neg", "%=", "^=", "=", "s>>=", "endian"];

    private static string AluString(byte op) => AluNames[op >> 4];

    private void CheckAluOp(Instruction insn)
    {
        byte op = (byte)(insn.Opcode & 0xf0);
        bool alu64 = (insn.Opcode & 0x07) == BPF_ALU64;
        bool srcX = (insn.Opcode & BPF_X) != 0;
        if (op is BPF_END or BPF_NEG)
        {
            CheckRegArg(insn.Dst, RegArg.Src);
            if (IsPointerValue(insn.Dst))
                throw Fail(-Errno.EACCES, Inv($"R{insn.Dst} pointer arithmetic prohibited"));
            if (Regs[insn.Dst].Type == RegType.ScalarValue)
            {
                CheckRegArg(insn.Dst, RegArg.DstNoMark);
                ref RegState dst = ref Regs[insn.Dst];
                bool changed = true;
                if (op == BPF_NEG)
                    dst.Bounds = ScalarBounds.Alu(BPF_NEG, dst.Bounds, dst.Bounds, !alu64);
                else
                    changed = ScalarBounds.ByteSwap(ref dst.Bounds, insn.Imm, alu64, toLe: (insn.Opcode & BPF_X) == 0);
                if (changed)
                {
                    dst.Id = 0;
                    dst.Off = 0;
                }
            }
            else
            {
                CheckRegArg(insn.Dst, RegArg.Dst);
            }
            return;
        }
        if (op == BPF_MOV)
        {
            CheckMov(insn, alu64, srcX);
            return;
        }
        if (srcX)
            CheckRegArg(insn.Src, RegArg.Src);
        CheckRegArg(insn.Dst, RegArg.Src);
        if (op is BPF_DIV or BPF_MOD && !srcX && insn.Imm == 0)
            throw Fail(-Errno.EINVAL, "div by zero");
        if (op is BPF_LSH or BPF_RSH or BPF_ARSH && !srcX)
        {
            int size = alu64 ? 64 : 32;
            if (insn.Imm < 0 || insn.Imm >= size)
                throw Fail(-Errno.EINVAL, Inv($"invalid shift {insn.Imm}"));
        }
        CheckRegArg(insn.Dst, RegArg.DstNoMark);
        AdjustRegMinMaxVals(insn, op, alu64, srcX);
    }

    private void CheckMov(Instruction insn, bool alu64, bool srcX)
    {
        if (srcX)
            CheckRegArg(insn.Src, RegArg.Src);
        CheckRegArg(insn.Dst, RegArg.DstNoMark);
        RegState[] regs = Regs;
        if (!srcX)
        {
            // R = imm: a 64-bit move sign-extends the immediate, a 32-bit one zero-extends it
            MarkRegUnknown(ref regs[insn.Dst]);
            regs[insn.Dst].Type = RegType.ScalarValue;
            regs[insn.Dst].MarkKnown(alu64 ? (ulong)(long)insn.Imm : (uint)insn.Imm);
            return;
        }
        ref RegState src = ref regs[insn.Src];
        ref RegState dst = ref regs[insn.Dst];
        int sx = insn.Offset;
        if (alu64)
        {
            if (sx == 0)
            {
                AssignScalarIdBeforeMov(ref src);
                CopyRegisterState(ref dst, src);
            }
            else if (IsPointerValue(insn.Src))
            {
                throw Fail(-Errno.EACCES, Inv($"R{insn.Src} sign-extension part of pointer"));
            }
            else if (src.Type == RegType.ScalarValue)
            {
                bool noSext = src.Bounds.UMax < (1UL << (sx - 1));
                if (noSext) AssignScalarIdBeforeMov(ref src);
                CopyRegisterState(ref dst, src);
                if (!noSext) dst.Id = 0;
                dst.Bounds = ScalarBounds.Mov(dst.Bounds, alu32: false, sx);
            }
            else
            {
                MarkRegUnknown(ref dst);
            }
            return;
        }
        if (IsPointerValue(insn.Src))
            throw Fail(-Errno.EACCES, Inv($"R{insn.Src} partial copy of pointer"));
        if (src.Type == RegType.ScalarValue)
        {
            if (sx == 0)
            {
                bool isU32 = RegWidth(src) <= 32;
                if (isU32) AssignScalarIdBeforeMov(ref src);
                CopyRegisterState(ref dst, src);
                if (!isU32) dst.Id = 0;
            }
            else
            {
                bool noSext = src.Bounds.UMax < (1UL << (sx - 1));
                if (noSext) AssignScalarIdBeforeMov(ref src);
                CopyRegisterState(ref dst, src);
                if (!noSext) dst.Id = 0;
            }
            dst.Bounds = ScalarBounds.Mov(dst.Bounds, alu32: true, sx);
        }
        else
        {
            // a 32-bit copy of a pointer the loader may see: an unknown scalar of 32 bits
            MarkRegUnknown(ref dst);
            dst.Bounds = ScalarBounds.Mov(dst.Bounds, alu32: true);
        }
    }

    // kernel: adjust_reg_min_max_vals
    private void AdjustRegMinMaxVals(Instruction insn, byte op, bool alu64, bool srcX)
    {
        RegState[] regs = Regs;
        ref RegState dst = ref regs[insn.Dst];
        bool dstIsPtr = dst.Type != RegType.ScalarValue;
        RegState srcVal;
        if (srcX)
        {
            ref RegState src = ref regs[insn.Src];
            if (src.Type != RegType.ScalarValue)
            {
                if (dstIsPtr)
                {
                    if (op == BPF_SUB && _caps.AllowPtrLeaks)
                    {
                        MarkRegUnknown(ref dst);
                        return;
                    }
                    throw Fail(-Errno.EACCES, Inv($"R{insn.Dst} pointer {AluString(op)} pointer prohibited"));
                }
                // scalar += pointer: the pointer's rules with the operands swapped; the offset must be what it is
                MarkChainPrecision(insn.Dst);
                RegState ptr = src;
                RegState off = dst;
                AdjustPtrMinMaxVals(insn, op, alu64, srcX, ptr, off, offIsDst: true);
                return;
            }
            if (dstIsPtr)
            {
                // pointer += scalar: the offset must be what it is
                MarkChainPrecision(insn.Src);
                AdjustPtrMinMaxVals(insn, op, alu64, srcX, dst, src, offIsDst: false);
                return;
            }
            if (dst.Precise)
                MarkChainPrecision(insn.Src); // a precise result needs a precise operand
            srcVal = src;
        }
        else
        {
            srcVal = RegState.KnownScalar((ulong)(long)insn.Imm);
            if (dstIsPtr)
            {
                AdjustPtrMinMaxVals(insn, op, alu64, srcX, dst, srcVal, offIsDst: false);
                return;
            }
        }
        // two scalars
        if (op is BPF_ADD or BPF_SUB)
            SanitizeValAlu(insn);
        if (op is BPF_AND or BPF_OR && srcVal.Bounds.VarOff.IsConst)
            MaybeForkScalars(insn, ref dst);
        ulong dstUmax = dst.Bounds.UMax; // before the operation zero-extends an ALU32 result
        dst.Bounds = ScalarBounds.Alu(op, dst.Bounds, srcVal.Bounds, !alu64);
        LinkAddConst(ref dst, srcVal, op, alu64, dstUmax, sameReg: srcX && insn.Src == insn.Dst);
    }

    // kernel: maybe_fork_scalars (6.18 stable). A value known to be 0 or -1 (64-bit, else in its low half), masked
    // or or-ed with a constant, is followed as two paths: this one with -1, and one pushed to redo the instruction
    // with 0, so that each result is a constant.
    private void MaybeForkScalars(Instruction insn, ref RegState dst)
    {
        bool alu32;
        if (dst.Bounds.SMin == -1 && dst.Bounds.SMax == 0)
            alu32 = false;
        else if (dst.Bounds.S32Min == -1 && dst.Bounds.S32Max == 0)
            alu32 = true;
        else
            return;
        ref RegState other = ref PushBranch(_insnIdx, _insnIdx).Regs[insn.Dst];
        if (alu32)
        {
            other.Bounds.MarkKnown32(0);
            dst.Bounds.MarkKnown32(uint.MaxValue);
        }
        else
        {
            other.MarkKnown(0);
            dst.MarkKnown(ulong.MaxValue);
        }
    }

    // kernel: the end of adjust_reg_min_max_vals. "r1 = r2; r1 += K" keeps r1 linked to r2 with the delta K (id
    // flagged BPF_ADD_CONST64, or BPF_ADD_CONST32 for a 32-bit operation on a value that fits in 32 bits), so that
    // a range learned on either later reaches the other (sync_linked_regs); any other operation breaks the link.
    private void LinkAddConst(ref RegState dst, in RegState src, byte op, bool alu64, ulong dstUmax, bool sameReg)
    {
        bool alu32 = !alu64;
        if (BpfCapable && op is BPF_ADD or BPF_SUB && dst.Id != 0 && !sameReg && IsRegConst(src, alu32))
        {
            ulong val = alu32 ? (uint)src.Bounds.VarOff.Value : src.Bounds.VarOff.Value;
            bool fits = alu32 ? dstUmax <= uint.MaxValue : (long)val >= int.MinValue && (long)val <= int.MaxValue;
            int off = (int)val;
            if (fits && (dst.Id & RegState.AddConstFlag) == 0 && !(op == BPF_SUB && off == int.MinValue))
            {
                dst.Id |= alu32 ? RegState.AddConst32 : RegState.AddConst64;
                dst.Off = op == BPF_SUB ? -off : off;
                return;
            }
        }
        dst.Id = 0;
        dst.Off = 0;
    }
}
