using BpfSharp.Uapi;
using BpfSharp.Maps;
using BpfSharp.Isa;

namespace BpfSharp.Verifier;

// kernel: check_return_code, check_func_call / setup_func_entry, prepare_func_exit, check_max_stack_depth.
public sealed partial class BpfVerifier
{
    private void CheckReturnCode()
    {
        CheckRegArg(0, RegArg.Src);
        if (IsPointerValue(0))
            throw Fail(-Errno.EACCES, "R0 leaks addr as return value");
        RetvalRange? range = _ops.ReturnRange(_opt.ExpectedAttachType);
        if (range is not { } r)
            return;
        RegState reg = Regs[0];
        if (reg.Type != RegType.ScalarValue)
            throw Fail(-Errno.EINVAL, Inv($"At program exit the register R0 is not a known value ({reg.Type.LogName()})"));
        MarkChainPrecision(0); // the return value is checked against the range
        if (r.Contains(reg))
            return;
        var sb = new System.Text.StringBuilder("At program exit the register R0 has");
        bool unknown = true;
        if (reg.Bounds.SMin > long.MinValue) { sb.Append(Inv($" smin={reg.Bounds.SMin}")); unknown = false; }
        if (reg.Bounds.SMax < long.MaxValue) { sb.Append(Inv($" smax={reg.Bounds.SMax}")); unknown = false; }
        if (unknown) sb.Append(" unknown scalar value");
        sb.Append(Inv($" should have been in [{r.MinVal}, {r.MaxVal}]"));
        throw Fail(-Errno.EINVAL, sb.ToString());
    }

    // kernel: check_func_call and setup_func_entry for a static subprogram
    private void CheckFuncCall(Instruction insn)
    {
        int target = _insnIdx + insn.Imm + 1;
        int subprog = _cfg.FindSubprog(target);
        if (subprog < 0)
            throw Fail(-Errno.EFAULT, Inv($"verifier bug. No program starts at insn {target}"));
        if (_cur.CurFrame + 1 >= VerifierState.MaxCallFrames)
            throw Fail(-Errno.E2BIG, Inv($"the call stack of {_cur.CurFrame + 2} frames is too deep"));
        FuncState caller = _cur.Current;
        var callee = new FuncState(_cur.CurFrame + 1, _insnIdx, subprog);
        for (int i = 1; i <= 5; i++)
            callee.Regs[i] = caller.Regs[i];
        _cur.PushFrame(callee);
        foreach (int r in CallerSaved)
        {
            caller.Regs[r].MarkNotInit();
            MarkRegScratched(r);
        }
        MarkRegScratched(FuncState.FramePointer); // the 6.18 log shows the callee's R10 at its first instruction
        if (_log.Enabled)
        {
            _log.Write("caller:\n");
            PrintFullState(caller.Frameno);
            _log.Write("callee:\n");
            PrintFullState(callee.Frameno);
        }
        _insnIdx = target - 1;
    }

    // kernel: prepare_func_exit
    private void PrepareFuncExit()
    {
        FuncState callee = _cur.Current;
        RegState r0 = callee.Regs[0];
        if (r0.Type == RegType.PtrToStack)
            throw Fail(-Errno.EINVAL, "cannot return stack pointer to the caller");
        FuncState caller = _cur.Frame(callee.Frameno - 1);
        caller.Regs[0] = r0;
        _insnIdx = callee.Callsite + 1;
        if (_log.Enabled)
        {
            _log.Write("returning from callee:\n");
            PrintFullState(callee.Frameno);
            _log.Write(Inv($"to caller at {_insnIdx}:\n"));
            PrintFullState(caller.Frameno);
        }
        _cur.PopFrame();
    }

    // kernel: check_max_stack_depth: the deepest chain of calls, each frame rounded up to 32 bytes, fits in 512
    private void CheckMaxStackDepth()
    {
        var memo = new int?[_stackDepth.Length];
        for (int i = 0; i < _stackDepth.Length; i++)
        {
            int depth = DeepestChain(i, 1, memo, out int frames);
            if (depth > FuncState.MaxStack)
                throw Fail(-Errno.EACCES, Inv($"combined stack size of {frames} calls is {depth}. Too large"));
        }
    }

    private int DeepestChain(int subprog, int level, int?[] memo, out int frames)
    {
        int own = Math.Max(_stackDepth[subprog], 1);
        own = (own + 31) / 32 * 32;
        int best = 0, bestFrames = 0;
        if (level < VerifierState.MaxCallFrames)
        {
            SubprogInfo info = _cfg.Subprogs[subprog];
            for (int pc = info.Start; pc < info.End; pc++)
            {
                Instruction insn = _insns[pc];
                if (insn.Opcode != (Opcodes.BPF_JMP | Opcodes.BPF_CALL) || insn.Src != Opcodes.BPF_PSEUDO_CALL)
                    continue;
                int callee = _cfg.FindSubprog(pc + insn.Imm + 1);
                if (callee < 0 || callee == subprog) continue;
                int d = DeepestChain(callee, level + 1, memo, out int f);
                if (d > best) { best = d; bestFrames = f; }
            }
        }
        frames = bestFrames + 1;
        return own + best;
    }
}
