using System.Reflection;
using System.Reflection.Emit;

namespace BpfSharp.Runtime.Jit;

// A subprogram too large for one method (RyuJIT would compile it with MinOpts) runs as pieces (MethodPiece): each
// piece's method keeps the registers in its locals while control stays in its range and hands them over through a
// register file on the native stack of the subprogram's own method, which calls the piece holding the next slot.
internal sealed partial class MethodCompiler
{
    // Arguments of a piece: 0 the target array, 1 the RunContext, 2 the JitState* (null in a leaf), 3 the register
    // file, 4 the slot to start at.
    private const short PieceArgEntry = 4;

    /// <summary>Register file slots: r0-r10, then the may_goto budget and the subprogram's r10 at entry.</summary>
    private const int FileMayGoto = 11, FileFrame = 12, FileSlots = 13;

    /// <summary>Parameter types of a piece's method (returning the slot to continue at, or -1).</summary>
    internal static readonly Type[] PieceParameters =
        [typeof(object[]), typeof(RunContext), typeof(JitState).MakePointerType(), typeof(ulong).MakePointerType(), typeof(int)];

    private readonly Dictionary<int, IlLabel> _leaves = [];

    // r0-r10 from the register file.
    private void LoadRegisterFile()
    {
        for (int r = 0; r <= 10; r++)
        {
            LoadFileSlot(r);
            St(r);
        }
    }

    // The subprogram's r10 at entry (checked mode's stack bounds are taken from it).
    private void LoadFrameR10()
    {
        if (_piece is null) _il.Emit(OpCodes.Ldarg, ArgR10);
        else LoadFileSlot(FileFrame);
    }

    private void LoadFileSlot(int slot)
    {
        FileSlotAddress(slot);
        _il.Emit(OpCodes.Ldind_I8);
    }

    private void FileSlotAddress(int slot)
    {
        _il.Emit(OpCodes.Ldarg_3);
        if (slot == 0) return;
        _il.Emit(OpCodes.Ldc_I4, slot * sizeof(ulong));
        _il.Emit(OpCodes.Add);
    }

    // goto the entry argument's label: if (entry == e1) goto L_e1; ...; goto L_en
    private void EnterAtEntryArgument()
    {
        int[] entries = _piece!.Entries;
        for (int k = 0; k < entries.Length - 1; k++)
        {
            _il.Emit(OpCodes.Ldarg, PieceArgEntry);
            _il.Emit(OpCodes.Ldc_I4, entries[k]);
            _il.Emit(OpCodes.Beq, _labels[entries[k] - _lo]);
        }
        _il.Emit(OpCodes.Br, _labels[entries[^1] - _lo]);
    }

    private IlLabel LeaveLabel(int pc)
    {
        if (!_leaves.TryGetValue(pc, out IlLabel label))
        {
            label = _il.DefineLabel("leave_for_", pc);
            _leaves.Add(pc, label);
        }
        return label;
    }

    // After the piece's last slot: falling through leaves for the next piece; then the stubs jumps out of the range go to.
    private void LeavePieces()
    {
        Leave(_piece!.End);
        foreach ((int pc, IlLabel label) in _leaves)
        {
            _il.MarkLabel(label);
            Leave(pc);
        }
    }

    // The registers (and the budgets) back to the file; return pc.
    private void Leave(int pc)
    {
        for (int r = 0; r <= 9; r++)
        {
            FileSlotAddress(r);
            Ld(r);
            _il.Emit(OpCodes.Stind_I8);
        }
        if (_mayGotoBudget is { } mayGoto)
        {
            FileSlotAddress(FileMayGoto);
            _il.Emit(OpCodes.Ldloc, mayGoto);
            _il.Emit(OpCodes.Stind_I8);
        }
        StoreBudget();
        _il.Emit(OpCodes.Ldc_I4, pc);
        _il.Emit(OpCodes.Ret);
    }

    // The subprogram returns r0 (pushed by value): file[0] = r0; return -1.
    private void ExitPiece(Action value)
    {
        FileSlotAddress(0);
        value();
        _il.Emit(OpCodes.Stind_I8);
        _il.Emit(OpCodes.Ldc_I4_M1);
        _il.Emit(OpCodes.Ret);
    }

    /// <summary>
    /// Writes the method of a subprogram compiled as <paramref name="pieces"/> (in slot order, their methods in
    /// <paramref name="methods"/>): the subprogram's usual signature and prologue, a register file on the native stack,
    /// then <c>pc = entry; do pc = piece_of(pc)(targets, run, state, file, pc); while (pc &gt;= 0); return file[0];</c>
    /// </summary>
    public void EmitDispatcher(MethodPiece[] pieces, MethodInfo[] methods)
    {
        PrepareQuery(methods);
        for (int i = 0; i <= 10; i++)
            _r[i] = _il.DeclareLocal(typeof(ulong), RegisterNames[i]);
        LoadArguments();
        IlLocal file = _il.DeclareLocal(typeof(ulong).MakePointerType(), "file");
        IlLocal pc = _il.DeclareLocal(typeof(int), "pc");
        _il.Emit(OpCodes.Ldc_I4, FileSlots * sizeof(ulong));
        _il.Emit(OpCodes.Conv_U);
        _il.Emit(OpCodes.Localloc);
        _il.Emit(OpCodes.Stloc, file);
        for (int slot = 0; slot < FileSlots; slot++)
        {
            _il.Emit(OpCodes.Ldloc, file);
            if (slot > 0)
            {
                _il.Emit(OpCodes.Ldc_I4, slot * sizeof(ulong));
                _il.Emit(OpCodes.Add);
            }
            if (slot <= 10) Ld(slot);
            else if (slot == FileMayGoto) LdcI8((long)MayGotoSemantics.InitialBudget);
            else Ld(10);
            _il.Emit(OpCodes.Stind_I8);
        }
        _il.Emit(OpCodes.Ldc_I4, _entry);
        _il.Emit(OpCodes.Stloc, pc);
        IlLabel loop = _il.DefineLabel("dispatch");
        IlLabel next = _il.DefineLabel("next");
        _il.MarkLabel(loop);
        CallPieceOf(pieces, methods, 0, pieces.Length - 1, file, pc, next);
        _il.MarkLabel(next);
        _il.Emit(OpCodes.Ldloc, pc);
        _il.Emit(OpCodes.Ldc_I4_0);
        _il.Emit(OpCodes.Bge, loop);
        _il.Emit(OpCodes.Ldloc, file);
        _il.Emit(OpCodes.Ldind_I8);
        _il.Emit(OpCodes.Ret);
    }

    // pc = piece(targets, run, state, file, pc) for the piece of pieces[first..last] holding pc, found by halving the
    // range (a large program has hundreds of pieces); then goto next.
    private void CallPieceOf(MethodPiece[] pieces, MethodInfo[] methods, int first, int last, IlLocal file, IlLocal pc, IlLabel next)
    {
        if (first < last)
        {
            int middle = (first + last) / 2;
            IlLabel lower = _il.DefineLabel("pieces_from_", first);
            _il.Emit(OpCodes.Ldloc, pc);
            _il.Emit(OpCodes.Ldc_I4, pieces[middle].End);
            _il.Emit(OpCodes.Blt, lower);
            CallPieceOf(pieces, methods, middle + 1, last, file, pc, next);
            _il.MarkLabel(lower);
            CallPieceOf(pieces, methods, first, middle, file, pc, next);
            return;
        }
        _il.Emit(OpCodes.Ldarg_0);
        _il.Emit(OpCodes.Ldarg_1);
        if (_leaf)
        {
            _il.Emit(OpCodes.Ldc_I4_0);
            _il.Emit(OpCodes.Conv_U);
        }
        else
        {
            _il.Emit(OpCodes.Ldarg_2);
        }
        _il.Emit(OpCodes.Ldloc, file);
        _il.Emit(OpCodes.Ldloc, pc);
        _il.Emit(OpCodes.Call, methods[first]);
        _il.Emit(OpCodes.Stloc, pc);
        _il.Emit(OpCodes.Br, next);
    }
}
