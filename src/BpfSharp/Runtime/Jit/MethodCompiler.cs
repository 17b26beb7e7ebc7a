using System.Reflection.Emit;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace BpfSharp.Runtime.Jit;

/// <summary>
/// Emits the IL of one subprogram: registers r0-r10 are IL locals (RyuJIT allocates machine registers to
/// them across the whole method), every jump target gets a label, instructions are emitted in
/// program order so fall-through stays fall-through. Split by concern: ALU, jumps, memory, calls.
/// </summary>
internal sealed partial class MethodCompiler
{
    // Arguments of every compiled method: 0 the target array, 1 the RunContext, 2 the JitState*, 3-7 r1-r5, 8 r10;
    // of a leaf program's: 0 the target array, 1 the RunContext (r1-r5 are loaded from its fields), 2 r10.
    private const short ArgR1 = 3, ArgR10 = 8, LeafArgR10 = 2;

    private static readonly FieldInfo[] InitialRegisterFields =
    [
        RunField(nameof(RunContext.InitialR1)), RunField(nameof(RunContext.InitialR2)), RunField(nameof(RunContext.InitialR3)),
        RunField(nameof(RunContext.InitialR4)), RunField(nameof(RunContext.InitialR5)),
    ];

    private static readonly FieldInfo StackTopField = typeof(JitState).GetField(nameof(JitState.StackTop))!;
    private static readonly FieldInfo RemainingField = typeof(JitState).GetField(nameof(JitState.Remaining))!;
    private static readonly FieldInfo ExitRequestedField = RunField(nameof(RunContext.ExitRequested));
    private static readonly MethodInfo ExitValueOf = Method(typeof(RunContext), nameof(RunContext.ExitValueOf));
    private static readonly FieldInfo CallerPcField = RunField(nameof(RunContext.CallerPc));
    private static readonly MethodInfo BudgetExhausted = Method(typeof(EngineFaults), nameof(EngineFaults.BudgetExhausted));
    private static readonly MethodInfo FellOffEnd = Method(typeof(EngineFaults), nameof(EngineFaults.FellOffEnd));

    private readonly JitCompiler _program;
    private readonly IlWriter _il;
    private readonly int _entry;
    private readonly DecodedInsn[] _code;
    private readonly MethodPiece? _piece;
    private readonly bool _checked;
    private readonly bool _budgeted;
    private readonly bool _leaf;
    private readonly IlLocal[] _r = new IlLocal[11];
    private readonly IlLabel[] _labels;
    private readonly bool[] _reachable;        // of the whole subprogram (a piece emits those in _lo.._hi)
    private readonly bool[] _jumpTarget;       // reachable slots a jump goes to (with the entries of a piece, the only ones with a label)
    private readonly int _lo, _hi;             // the slots this method holds
    private IlLocal _address;    // checked mode: the address being accessed
    private IlLocal _stackLow;   // checked mode: lowest address of the active frames
    private IlLocal _stackTop;   // checked mode: top of the stack block
    private IlLocal _budget;     // budgeted: instructions left (synced with JitState around calls)
    private IlLocal? _mayGotoBudget; // methods with a reachable may_goto: the invocation's loop budget
    private IlLabel _exitRequested;
    private bool _exitRequestedUsed;
    private IlLocal _prandom;    // the run's bpf_get_prandom_u32 generator, if the method inlines that helper

    /// <param name="program">The program being compiled.</param>
    /// <param name="il">Where to write the method.</param>
    /// <param name="entry">The subprogram's first instruction.</param>
    /// <param name="piece">Null for the subprogram's whole method, else the piece of it to write (see <see cref="MethodPiece"/>).</param>
    /// <param name="flow">The subprogram's reachable slots and jump targets, as another compiler of it found them (null: found here).</param>
    public MethodCompiler(JitCompiler program, IlWriter il, int entry, MethodPiece? piece = null, (bool[] Reachable, bool[] JumpTarget)? flow = null)
    {
        _program = program;
        _il = il;
        _entry = entry;
        _piece = piece;
        _code = program.Code;
        _checked = program.Checked;
        _budgeted = program.Budget > 0;
        _leaf = program.Leaf && piece is null;
        (_lo, _hi) = piece is null ? (0, _code.Length) : (piece.Start, piece.End);
        _labels = new IlLabel[_hi - _lo];
        if (flow is { } f)
        {
            (_reachable, _jumpTarget) = f;
        }
        else
        {
            _jumpTarget = new bool[_code.Length];
            _reachable = Reachable(_code, entry, _jumpTarget);
        }
    }

    /// <summary>The subprogram's reachable slots (calls return to the next slot) and the slots a jump goes to.</summary>
    internal (bool[] Reachable, bool[] JumpTarget) Flow => (_reachable, _jumpTarget);

    /// <summary>
    /// Writes the method. <paramref name="costs"/>, if given, receives the IL written so far after each reachable
    /// instruction (where a subprogram too large for one method is cut into pieces).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Emit(IlCost[]? costs = null)
    {
        PrepareQuery();
        Prologue();
        for (int pc = _lo; pc < _hi; pc++)
        {
            if (_reachable[pc] && Labelled(pc))
                _labels[pc - _lo] = _il.DefineLabel("L", pc);
        }
        _exitRequested = _il.DefineLabel("exit_requested");
        if (_piece is not null) EnterAtEntryArgument();
        for (int pc = _lo; pc < _hi; pc++)
        {
            if (!_reachable[pc]) continue;
            if (Labelled(pc)) _il.MarkLabel(_labels[pc - _lo]);
            if (_il.Listing) _il.Comment(_program.Describe(pc));
            if (_budgeted) CountInstruction(pc);
            EmitInstruction(pc, in _code[pc]);
            if (costs is not null) costs[pc] = _il.Cost;
        }
        if (_piece is not null) LeavePieces();
        if (!_exitRequestedUsed) return;
        // A helper (or a packet load) asked the program to end: every frame returns the value asked for. A tail call
        // that replaced this subprogram's frame asked it alone to return: the request is consumed here.
        _il.MarkLabel(_exitRequested);
        if (_piece is not null)
        {
            ExitPiece(() => { _il.Emit(OpCodes.Ldarg_1); _il.Emit(OpCodes.Call, ExitValueOf); });
            return;
        }
        _il.Emit(OpCodes.Ldarg_1);
        _il.Emit(OpCodes.Call, ExitValueOf);
        _il.Emit(OpCodes.Ret);
    }

    // The label a jump from this method to pc goes to: pc's own, or (a piece jumping out of its range) a stub that
    // leaves the piece for pc.
    private IlLabel LabelOf(int pc) => pc >= _lo && pc < _hi ? _labels[pc - _lo] : LeaveLabel(pc);

    // A slot with a label: a jump target, or where a piece is entered.
    private bool Labelled(int pc) => _jumpTarget[pc] || _piece is not null && Array.BinarySearch(_piece.Entries, pc) >= 0;

    // Called with no run context, a method only returns: then RyuJIT has compiled it (JitProgram.Prepare). A leaf
    // returns its own entry point (ldftn), for JitProgram.Run's call through a function pointer; a piece returns -1.
    // if (run == null) { pieces?.each(piece(targets, null, null, null, 0)); return &this_method or 0 or -1; }
    private void PrepareQuery(MethodInfo[]? pieces = null)
    {
        IlLabel body = _il.DefineLabel("body");
        _il.Emit(OpCodes.Ldarg_1);
        _il.Emit(OpCodes.Brtrue, body);
        foreach (MethodInfo piece in pieces ?? [])
        {
            _il.Emit(OpCodes.Ldarg_0);
            _il.Emit(OpCodes.Ldnull);
            _il.Emit(OpCodes.Ldc_I4_0);
            _il.Emit(OpCodes.Conv_U);
            _il.Emit(OpCodes.Ldc_I4_0);
            _il.Emit(OpCodes.Conv_U);
            _il.Emit(OpCodes.Ldc_I4_0);
            _il.Emit(OpCodes.Call, piece);
            _il.Emit(OpCodes.Pop);
        }
        if (_piece is not null)
        {
            _il.Emit(OpCodes.Ldc_I4_M1);
        }
        else if (_leaf)
        {
            _il.Emit(OpCodes.Ldftn, _program.MethodAt(_entry));
            _il.Emit(OpCodes.Conv_U8);
        }
        else
        {
            _il.Emit(OpCodes.Ldc_I4_0);
            _il.Emit(OpCodes.Conv_U8);
        }
        _il.Emit(OpCodes.Ret);
        _il.MarkLabel(body);
    }

    // r1-r5 and r10 from the arguments (a leaf: those it names, r1-r5 from the run context's fields); r0 and r6-r9
    // start at 0 (IL locals are zero-initialized).
    private void Prologue()
    {
        for (int i = 0; i <= 10; i++)
            _r[i] = _il.DeclareLocal(typeof(ulong), RegisterNames[i]);
        if (_piece is null) LoadArguments();
        else LoadRegisterFile();
        LoadRunLocals();
    }

    private void LoadArguments()
    {
        int named = _leaf ? NamedRegisters() : -1;
        for (int i = 1; i <= 5; i++)
        {
            if ((named & (1 << i)) == 0) continue;
            if (_leaf)
            {
                _il.Emit(OpCodes.Ldarg_1);
                _il.Emit(OpCodes.Ldfld, InitialRegisterFields[i - 1]);
            }
            else
            {
                _il.Emit(OpCodes.Ldarg, (short)(ArgR1 + i - 1));
            }
            _il.Emit(OpCodes.Stloc, _r[i]);
        }
        if ((named & (1 << 10)) != 0)
        {
            _il.Emit(OpCodes.Ldarg, _leaf ? LeafArgR10 : ArgR10);
            _il.Emit(OpCodes.Stloc, _r[10]);
        }
    }

    // The method's own state beside the registers: the inlined generator, checked mode's stack bounds, the budget,
    // the may_goto budget.
    private void LoadRunLocals()
    {
        if (InlinesPrandom())
        {
            // prandom = ((CpuHelpers)targets[i]).PrandomOf(run), once per method run (the thread does not change in a run)
            _prandom = _il.DeclareLocal(typeof(Helpers.Prandom), "prandom");
            _il.Emit(OpCodes.Ldarg_0);
            _il.Emit(OpCodes.Ldc_I4, _program.TargetIndex(_prandomHelper!.Target!));
            _il.Emit(OpCodes.Ldelem_Ref);
            _il.Emit(OpCodes.Castclass, typeof(Helpers.CpuHelpers));
            _il.Emit(OpCodes.Ldarg_1);
            _il.Emit(OpCodes.Call, InlinedHelpers.PrandomOf);
            _il.Emit(OpCodes.Stloc, _prandom);
        }
        if (_checked)
        {
            _address = _il.DeclareLocal(typeof(ulong), "address");
            _stackLow = _il.DeclareLocal(typeof(ulong), "stack_low");
            _stackTop = _il.DeclareLocal(typeof(ulong), "stack_top");
            LoadFrameR10();
            _il.Emit(OpCodes.Ldc_I8, (long)BpfStack.FrameSize);
            _il.Emit(OpCodes.Sub);
            _il.Emit(OpCodes.Stloc, _stackLow);
            _il.Emit(OpCodes.Ldarg_2);
            _il.Emit(OpCodes.Ldfld, StackTopField);
            _il.Emit(OpCodes.Stloc, _stackTop);
        }
        if (_budgeted)
        {
            _budget = _il.DeclareLocal(typeof(long), "budget");
            LoadBudget();
        }
        if (HasMayGoto())
        {
            _mayGotoBudget = _il.DeclareLocal(typeof(ulong), "may_goto_budget");
            if (_piece is null) LdcI8((long)MayGotoSemantics.InitialBudget);
            else LoadFileSlot(FileMayGoto);
            _il.Emit(OpCodes.Stloc, _mayGotoBudget.Value);
        }
    }

    private bool HasMayGoto()
    {
        for (int pc = _lo; pc < _hi; pc++)
            if (_reachable[pc] && _code[pc].Op == ExecOp.MayGoto)
                return true;
        return false;
    }

    // if (--budget < 0) throw BudgetExhausted(pc, budget of the run)
    private void CountInstruction(int pc)
    {
        IlLabel ok = _il.DefineLabel("budget_ok_", pc);
        _il.Emit(OpCodes.Ldloc, _budget);
        _il.Emit(OpCodes.Ldc_I4_1);
        _il.Emit(OpCodes.Conv_I8);
        _il.Emit(OpCodes.Sub);
        _il.Emit(OpCodes.Dup);
        _il.Emit(OpCodes.Stloc, _budget);
        _il.Emit(OpCodes.Ldc_I4_0);
        _il.Emit(OpCodes.Conv_I8);
        _il.Emit(OpCodes.Bge, ok);
        _il.Emit(OpCodes.Ldc_I4, pc);
        _il.Emit(OpCodes.Ldc_I8, _program.Budget);
        _il.Emit(OpCodes.Call, BudgetExhausted);
        _il.Emit(OpCodes.Throw);
        _il.MarkLabel(ok);
    }

    // The budget lives in a local; calls (which may run callbacks spending from it) see it in JitState.
    private void StoreBudget()
    {
        if (!_budgeted) return;
        _il.Emit(OpCodes.Ldarg_2);
        _il.Emit(OpCodes.Ldloc, _budget);
        _il.Emit(OpCodes.Stfld, RemainingField);
    }

    private void LoadBudget()
    {
        if (!_budgeted) return;
        _il.Emit(OpCodes.Ldarg_2);
        _il.Emit(OpCodes.Ldfld, RemainingField);
        _il.Emit(OpCodes.Stloc, _budget);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EmitInstruction(int pc, in DecodedInsn i)
    {
        ExecOp op = i.Op;
        if (op < ExecOp.Trunc16) Alu(in i);
        else if (op < ExecOp.Ja) Endian(in i);
        else if (op < ExecOp.Call) Jump(pc, in i);
        else if (op <= ExecOp.Exit) CallOrExit(pc, in i);
        else if (op <= ExecOp.LdIndW) SpecialLoad(in i);
        else if (op < ExecOp.Atomic32) LoadStore(pc, in i);
        else if (op < ExecOp.FellOffEnd) Atomic(pc, in i);
        else if (op == ExecOp.FellOffEnd) Throw(pc, FellOffEnd);
        else throw new InvalidOperationException($"insn {pc}: the JIT has no translation for {op} (a pre-decoding bug)");
    }

    // throw fault(pc)
    private void Throw(int pc, MethodInfo fault)
    {
        _il.Emit(OpCodes.Ldc_I4, pc);
        _il.Emit(OpCodes.Call, fault);
        _il.Emit(OpCodes.Throw);
    }

    private static readonly string[] RegisterNames = ["r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10"];

    // Bit i set if a reachable instruction names register i (as dst or src).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int NamedRegisters()
    {
        int named = 0;
        for (int pc = _lo; pc < _hi; pc++)
        {
            if (!_reachable[pc]) continue;
            named |= 1 << (_code[pc].Dst & 15);
            named |= 1 << (_code[pc].Src & 15);
        }
        return named;
    }

    // True if a reachable instruction calls bpf_get_prandom_u32 as InlinedHelpers inlines it (remembered in _prandomHelper).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool InlinesPrandom()
    {
        BpfHelper?[] helpers = _program.Helpers;
        for (int pc = _lo; pc < _hi; pc++)
        {
            if (!_reachable[pc] || _code[pc].Op != ExecOp.Call) continue;
            long id = _code[pc].Imm;
            if ((ulong)id < (ulong)helpers.Length && InlinedHelpers.IsPrandom(helpers[id]))
            {
                _prandomHelper = helpers[id];
                return true;
            }
        }
        return false;
    }

    private BpfHelper? _prandomHelper;

    private void Ld(int register) => _il.Emit(OpCodes.Ldloc, _r[register]);
    private void St(int register) => _il.Emit(OpCodes.Stloc, _r[register]);

    private void LdcI8(long value) => _il.Emit(OpCodes.Ldc_I8, value);

    // The slots reachable from the entry through fall-through and jumps (calls return to the next slot).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool[] Reachable(DecodedInsn[] code, int entry, bool[] jumpTarget)
    {
        var seen = new bool[code.Length];
        var work = new Stack<int>();
        work.Push(entry);
        while (work.Count > 0)
        {
            int pc = work.Pop();
            if (pc < 0 || pc >= code.Length || seen[pc]) continue;
            seen[pc] = true;
            (int next, int target) = Successors(code, pc);
            if (target >= 0)
            {
                MarkTarget(jumpTarget, target);
                work.Push(target);
            }
            if (next >= 0) work.Push(next);
        }
        return seen;
    }

    /// <summary>Where control goes after the slot at <paramref name="pc"/>: the next slot and a jump's target, each -1 if none.</summary>
    internal static (int Next, int Target) Successors(DecodedInsn[] code, int pc)
    {
        ref readonly DecodedInsn i = ref code[pc];
        return i.Op switch
        {
            ExecOp.Exit or ExecOp.CallUnknown or ExecOp.FellOffEnd or ExecOp.Unreachable => (-1, -1),
            ExecOp.Ja => (-1, pc + 1 + i.Off),
            ExecOp.LdImm64 => (pc + 2, -1),
            ExecOp.MayGoto or (>= ExecOp.Jmp64K and < ExecOp.Call) => (pc + 1, pc + 1 + i.Off),
            _ => (pc + 1, -1),
        };
    }

    private static void MarkTarget(bool[] jumpTarget, int target)
    {
        if ((uint)target < (uint)jumpTarget.Length) jumpTarget[target] = true;
    }

    internal static MethodInfo Method(Type type, string name, bool instance = false) =>
        type.GetMethod(name, BindingFlags.Public | BindingFlags.NonPublic | (instance ? BindingFlags.Instance : BindingFlags.Static))
        ?? throw new MissingMethodException(type.Name, name);

    private static FieldInfo RunField(string name) =>
        typeof(RunContext).GetField(name, BindingFlags.NonPublic | BindingFlags.Instance)
        ?? throw new MissingFieldException(nameof(RunContext), name);
}
