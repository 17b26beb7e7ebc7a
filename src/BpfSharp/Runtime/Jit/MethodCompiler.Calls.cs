using System.Reflection.Emit;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace BpfSharp.Runtime.Jit;

// Helper calls (direct calls through HelperCallSite), callx, bpf-to-bpf calls (an IL call of the callee's method on
// a new frame of the native stack; r1-r5 and r6-r10 are the caller's locals, so they survive the call as in the
// interpreter) and exit. After anything that may end the program early, one test of RunContext.ExitRequested; helpers
// registered HelperFlags.Pure are bare calls, bpf_get_prandom_u32 is inlined (InlinedHelpers).
internal sealed partial class MethodCompiler
{
    private static readonly MethodInfo EnterFrame = Method(typeof(JitRuntime), nameof(JitRuntime.EnterFrame));
    private static readonly MethodInfo LeaveFrame = Method(typeof(JitRuntime), nameof(JitRuntime.LeaveFrame));
    private static readonly MethodInfo CallX = Method(typeof(JitRuntime), nameof(JitRuntime.CallX));
    private static readonly MethodInfo UnknownHelper = Method(typeof(EngineFaults), nameof(EngineFaults.UnknownHelper));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CallOrExit(int pc, in DecodedInsn i)
    {
        switch (i.Op)
        {
            case ExecOp.Call: HelperCall(pc, (int)i.Imm); break;
            case ExecOp.CallX: HelperCallX(pc, in i); break;
            case ExecOp.CallLocal: LocalCall(pc, pc + 1 + i.Off); break;
            case ExecOp.CallUnknown:
                _il.Emit(OpCodes.Ldc_I4, pc);
                LdcI8(i.Imm);
                _il.Emit(OpCodes.Call, UnknownHelper);
                _il.Emit(OpCodes.Throw);
                break;
            case ExecOp.Exit:
                StoreBudget();
                if (_piece is not null)
                {
                    ExitPiece(() => Ld(0));
                    break;
                }
                Ld(0);
                _il.Emit(OpCodes.Ret);
                break;
            default: throw new InvalidOperationException($"insn {pc}: {i.Op} is not a call");
        }
    }

    // run.CallerPc = pc; r0 = helper(run, r1, ..., r5)
    private void HelperCall(int pc, int id)
    {
        if (_prandomHelper is not null && ReferenceEquals(_program.Helpers[id], _prandomHelper))
        {
            // r0 = prandom.NextU32(): no pc, no exit test (it can neither fault nor end the program)
            _il.Emit(OpCodes.Ldloc, _prandom);
            _il.Emit(OpCodes.Call, InlinedHelpers.NextU32);
            _il.Emit(OpCodes.Conv_U8);
            St(0);
            return;
        }
        HelperCallSite site = _program.SiteOf(id);
        if (_program.IsPure(id))
        {
            // r0 = helper(run, r1, ..., r5): it can neither fault, end the program, read the pc nor call back
            site.EmitTarget(_il);
            PushRunAndArguments();
            site.EmitCall(_il);
            St(0);
            return;
        }
        SetCallerPc(pc);
        StoreBudget(); // a callback spends from the same budget
        site.EmitTarget(_il);
        PushRunAndArguments();
        site.EmitCall(_il);
        St(0);
        LoadBudget();
        BranchIfExitRequested();
    }

    private void HelperCallX(int pc, in DecodedInsn i)
    {
        StoreBudget();
        _il.Emit(OpCodes.Ldarg_0);
        _il.Emit(OpCodes.Ldc_I4_0);
        _il.Emit(OpCodes.Ldelem_Ref); // targets[0] is the helper table
        _il.Emit(OpCodes.Castclass, typeof(BpfHelper[]));
        _il.Emit(OpCodes.Ldarg_1);
        Ld(i.Dst);
        for (int r = 1; r <= 5; r++) Ld(r);
        _il.Emit(OpCodes.Ldc_I4, pc);
        _il.Emit(OpCodes.Call, CallX);
        St(0);
        LoadBudget();
        BranchIfExitRequested();
    }

    // r0 = callee(targets, run, state, r1..r5, r10 of a new frame); the frame is left again after the call.
    private void LocalCall(int pc, int target)
    {
        StoreBudget();
        _il.Emit(OpCodes.Ldarg_0);
        _il.Emit(OpCodes.Ldarg_1);
        _il.Emit(OpCodes.Ldarg_2);
        for (int r = 1; r <= 5; r++) Ld(r);
        _il.Emit(OpCodes.Ldarg_2);
        _il.Emit(OpCodes.Ldarg_1);
        _il.Emit(OpCodes.Ldc_I4, pc);
        _il.Emit(OpCodes.Call, EnterFrame);
        _il.Emit(OpCodes.Call, _program.MethodAt(target));
        St(0);
        _il.Emit(OpCodes.Ldarg_2);
        _il.Emit(OpCodes.Ldarg_1);
        _il.Emit(OpCodes.Call, LeaveFrame);
        LoadBudget();
        BranchIfExitRequested();
    }

    private void SetCallerPc(int pc)
    {
        _il.Emit(OpCodes.Ldarg_1);
        _il.Emit(OpCodes.Ldc_I4, pc);
        _il.Emit(OpCodes.Stfld, CallerPcField);
    }

    private void PushRunAndArguments()
    {
        _il.Emit(OpCodes.Ldarg_1);
        for (int r = 1; r <= 5; r++) Ld(r);
    }

    private void BranchIfExitRequested()
    {
        _exitRequestedUsed = true;
        _il.Emit(OpCodes.Ldarg_1);
        _il.Emit(OpCodes.Ldfld, ExitRequestedField);
        _il.Emit(OpCodes.Brtrue, _exitRequested);
    }
}
