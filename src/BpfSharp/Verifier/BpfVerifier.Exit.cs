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
        RegState reg = Regs[0];
        if (_cur.Frame(0).Subprogno != 0)
        {
            // a global function verified on its own returns a scalar to whichever caller
            if (reg.Type != RegType.ScalarValue)
                throw Fail(-Errno.EINVAL, Inv($"At subprogram exit the register R0 is not a scalar value ({reg.Type.LogName()})"));
            return;
        }
        RetvalRange? range = _ops.ReturnRange(_opt.ExpectedAttachType);
        if (range is not { } r)
            return;
        if (reg.Type != RegType.ScalarValue)
            throw Fail(-Errno.EINVAL, Inv($"At program exit the register R0 is not a known value ({reg.Type.LogName()})"));
        MarkChainPrecision(0); // the return value is checked against the range
        if (r.Contains(reg))
            return;
        throw Fail(-Errno.EINVAL, InvalidScalarText(reg, r, "At program exit", "R0"));
    }

    // kernel: check_func_call: a global function is checked against its prototype only; a static one is entered
    private void CheckFuncCall(Instruction insn)
    {
        int target = _insnIdx + insn.Imm + 1;
        int subprog = _cfg.FindSubprog(target);
        if (subprog < 0)
            throw Fail(-Errno.EFAULT, Inv($"verifier bug. No program starts at insn {target}"));
        FuncState caller = _cur.Current;
        int btfErr = BtfCheckSubprogCall(subprog);
        if (btfErr == -Errno.EFAULT)
            throw new VerifierException(btfErr);
        if (SubprogIsGlobal(subprog))
        {
            CallGlobalFunc(subprog, btfErr);
            return;
        }
        SetupFuncEntry(subprog, _insnIdx, SetCalleeArgs, _cur);
        FuncState callee = _cur.Current;
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

    // kernel: prepare_func_exit. A callback returns to the helper call itself, which is checked again.
    private void PrepareFuncExit()
    {
        FuncState callee = _cur.Current;
        RegState r0 = callee.Regs[0];
        if (r0.Type == RegType.PtrToStack)
            throw Fail(-Errno.EINVAL, "cannot return stack pointer to the caller");
        FuncState caller = _cur.Frame(callee.Frameno - 1);
        bool inCallback = callee.InCallbackFn;
        if (inCallback)
            CheckCallbackReturn(callee);
        else
            caller.Regs[0] = r0;
        _insnIdx = inCallback ? callee.Callsite : callee.Callsite + 1;
        if (_log.Enabled)
        {
            _log.Write("returning from callee:\n");
            PrintFullState(callee.Frameno);
            _log.Write(Inv($"to caller at {_insnIdx}:\n"));
            PrintFullState(caller.Frameno);
        }
        _cur.PopFrame();
        if (inCallback)
            WidenAfterCallback(_insnIdx);
    }

    /// <summary>BPF_PRIV_STACK_MIN_SIZE: the smallest frame the JIT moves to a private stack.</summary>
    private const int PrivStackMinSize = 64;

    // kernel: check_max_stack_depth: the walk of check_max_stack_depth_subprog from the main program, along every call
    // and callback address in instruction order, each frame rounded up to 16 bytes (the JIT's granularity); the stack
    // of a chain may not exceed 512 bytes. Tracing programs without tail calls keep frames of 64 bytes and more on a
    // private stack, where each frame alone is limited.
    private void CheckMaxStackDepth()
    {
        bool anyTailCall = false;
        foreach (SubprogInfo s in _cfg.Subprogs)
            anyTailCall |= s.HasTailCall;
        bool privStack = !anyTailCall && _ops.ProgType is BpfProgType.Kprobe or BpfProgType.Tracepoint
            or BpfProgType.PerfEvent or BpfProgType.RawTracepoint;
        CheckMaxStackDepthSubprog(0, privStack);
    }

    // kernel: round_up_stack_depth: the JIT's 16-byte granularity, or the interpreter's 32 (and never 0)
    private int RoundUpStackDepth(int depth) =>
        _opt.JitRequested ? (depth + 15) / 16 * 16 : (Math.Max(depth, 1) + 31) / 32 * 32;

    // kernel: fixup_call_args without a JIT: the interpreter runs no callbacks
    private void CheckInterpreterCallArgs()
    {
        if (_opt.JitRequested)
            return;
        foreach (Instruction insn in _insns)
        {
            if (insn.IsLdImm64 && insn.Src == Opcodes.BPF_PSEUDO_FUNC)
                throw Fail(-Errno.EINVAL, "callbacks are not allowed in non-JITed programs");
        }
    }

    private void CheckMaxStackDepthSubprog(int idx, bool privStackSupported)
    {
        SubprogInfo[] subprogs = _cfg.Subprogs.ToArray();
        Span<int> retInsn = stackalloc int[VerifierState.MaxCallFrames];
        Span<int> retProg = stackalloc int[VerifierState.MaxCallFrames];
        Span<bool> adaptive = stackalloc bool[VerifierState.MaxCallFrames];
        int depth = 0, frame = 0, i = subprogs[idx].Start;
        for (;;)
        {
            // process_func: a frame enters
            if (idx != 0 && subprogs[idx].HasTailCall && depth >= 256)
                throw Fail(-Errno.EACCES, Inv($"tail_calls are not allowed when call stack of previous frames is {depth} bytes. Too large"));
            int subprogDepth = RoundUpStackDepth(_stackDepth[idx]);
            adaptive[frame] = privStackSupported && subprogDepth >= PrivStackMinSize;
            if (adaptive[frame])
            {
                if (subprogDepth > FuncState.MaxStack)
                    throw Fail(-Errno.EACCES, Inv($"stack size of subprog {idx} is {subprogDepth}. Too large"));
            }
            else
            {
                depth += subprogDepth;
                if (depth > FuncState.MaxStack)
                    throw Fail(-Errno.EACCES, Inv($"combined stack size of {frame + 1} calls is {depth}. Too large"));
            }
            bool entered = false;
            for (;;)
            {
                // continue_func: the next call or callback address of this frame's subprogram
                int end = subprogs[idx].End;
                for (; i < end; i++)
                {
                    Instruction insn = _insns[i];
                    bool call = insn.Opcode == (Opcodes.BPF_JMP | Opcodes.BPF_CALL) && insn.Src == Opcodes.BPF_PSEUDO_CALL;
                    bool func = insn.IsLdImm64 && insn.Src == Opcodes.BPF_PSEUDO_FUNC;
                    if (!call && !func)
                        continue;
                    retInsn[frame] = i + 1;
                    retProg[frame] = idx;
                    int next = i + insn.Imm + 1;
                    int sidx = _cfg.FindSubprog(next);
                    if (sidx < 0)
                        throw Fail(-Errno.EFAULT, Inv($"verifier bug: callee not found at insn {next}"));
                    i = next;
                    idx = sidx;
                    frame++;
                    if (frame >= VerifierState.MaxCallFrames)
                        throw Fail(-Errno.E2BIG, Inv($"the call stack of {frame} frames is too deep !"));
                    entered = true;
                    break;
                }
                if (entered)
                    break;
                // the subprogram's last instruction: back to the caller
                if (frame == 0)
                    return;
                if (!adaptive[frame])
                    depth -= RoundUpStackDepth(_stackDepth[idx]);
                frame--;
                i = retInsn[frame];
                idx = retProg[frame];
            }
        }
    }
}
