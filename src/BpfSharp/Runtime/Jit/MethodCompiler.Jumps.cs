using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace BpfSharp.Runtime.Jit;

// Jumps: an IL branch to the target slot's label. 64-bit forms compare the registers (imm sign-extended), 32-bit
// forms their low halves; unsigned conditions use the .un branches. may_goto counts down a local of the method.
internal sealed partial class MethodCompiler
{
    // The method's may_goto loop budget: a local, so every invocation of the subprogram has its own, set at entry.
    private IlLocal MayGotoBudget() =>
        _mayGotoBudget ?? throw new InvalidOperationException("the may_goto budget is declared in the prologue");

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Jump(int pc, in DecodedInsn i)
    {
        IlLabel target = LabelOf(pc + 1 + i.Off);
        if (i.Op == ExecOp.Ja)
        {
            _il.Emit(OpCodes.Br, target);
            return;
        }
        if (i.Op == ExecOp.MayGoto)
        {
            // MayGotoSemantics.Jumps written out, so that the budget stays a register (no address-taken local):
            // if (budget == 0) goto target; budget--;
            IlLocal budget = MayGotoBudget();
            _il.Emit(OpCodes.Ldloc, budget);
            _il.Emit(OpCodes.Brfalse, target);
            _il.Emit(OpCodes.Ldloc, budget);
            LdcI8(1);
            _il.Emit(OpCodes.Sub);
            _il.Emit(OpCodes.Stloc, budget);
            return;
        }
        bool is64 = i.Op < ExecOp.Jmp32K;
        bool isReg = i.Op is >= ExecOp.Jmp64X and < ExecOp.Jmp32K || i.Op >= ExecOp.Jmp32X;
        int block = (int)(is64 ? (isReg ? ExecOp.Jmp64X : ExecOp.Jmp64K) : (isReg ? ExecOp.Jmp32X : ExecOp.Jmp32K));
        byte slot = (byte)((int)i.Op - block);

        Ld(i.Dst);
        if (!is64) _il.Emit(OpCodes.Conv_I4);
        if (is64) Source64(in i, isReg);
        else Source32(in i, isReg);
        if (slot == JmpSlot.Jset)
        {
            _il.Emit(OpCodes.And);
            if (is64) LdcI8(0);
            else _il.Emit(OpCodes.Ldc_I4_0);
            _il.Emit(OpCodes.Bne_Un, target);
            return;
        }
        _il.Emit(slot switch
        {
            JmpSlot.Jeq => OpCodes.Beq,
            JmpSlot.Jne => OpCodes.Bne_Un,
            JmpSlot.Jgt => OpCodes.Bgt_Un,
            JmpSlot.Jge => OpCodes.Bge_Un,
            JmpSlot.Jlt => OpCodes.Blt_Un,
            JmpSlot.Jle => OpCodes.Ble_Un,
            JmpSlot.Jsgt => OpCodes.Bgt,
            JmpSlot.Jsge => OpCodes.Bge,
            JmpSlot.Jslt => OpCodes.Blt,
            JmpSlot.Jsle => OpCodes.Ble,
            _ => throw new InvalidOperationException($"jump slot {slot} has no translation"),
        }, target);
    }
}
