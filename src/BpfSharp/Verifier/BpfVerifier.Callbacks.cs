using BpfSharp.Maps;
using BpfSharp.Uapi;

namespace BpfSharp.Verifier;

// kernel: push_callback_call, setup_func_entry, set_loop_callback_state, set_map_elem_callback_state,
// set_user_ringbuf_callback_state, find_prev_entry, widen_imprecise_scalars, process_timer_func, and the callback half
// of prepare_func_exit.
//
// A helper that calls a callback (bpf_loop, bpf_for_each_map_elem, bpf_user_ringbuf_drain) is verified as a loop: at
// the call, a state that enters the callback (a new frame, its arguments as the helper passes them) is pushed as a
// pending branch and the path goes on after the call as if the callback ran no more. The callback's exit returns to the
// call instruction itself, which is checked again: another iteration is pushed, until the state at the call is covered
// by one seen there before (RANGE_WITHIN) or, for bpf_loop, as many iterations as its count allows were entered.
public sealed partial class BpfVerifier
{
    private delegate void SetCalleeState(FuncState caller, FuncState callee);

    /// <summary>
    /// A new frame for <paramref name="subprog"/> called from <paramref name="callsite"/> on top of
    /// <paramref name="state"/>, its registers set by <paramref name="setState"/> (kernel: setup_func_entry).
    /// </summary>
    private void SetupFuncEntry(int subprog, int callsite, SetCalleeState setState, VerifierState state)
    {
        if (state.CurFrame + 1 >= VerifierState.MaxCallFrames)
            throw Fail(-Errno.E2BIG, Inv($"the call stack of {state.CurFrame + 2} frames is too deep"));
        FuncState caller = state.Current;
        var callee = new FuncState(state.CurFrame + 1, callsite, subprog);
        MarkAllScratched(); // kernel: init_func_state
        setState(caller, callee);
        state.PushFrame(callee);
    }

    // kernel: set_callee_state: R1-R5 passed as they are
    private static void SetCalleeArgs(FuncState caller, FuncState callee)
    {
        for (int i = 1; i <= 5; i++)
            callee.Regs[i] = caller.Regs[i];
    }

    // kernel: push_callback_call for a synchronous callback
    private void PushCallbackCall(int subprog, SetCalleeState setState)
    {
        FuncState caller = _cur.Current;
        int err = BtfCheckSubprogCall(subprog);
        if (err == -Errno.EFAULT)
            throw new VerifierException(err);
        _subprogAux[subprog].IsCallback = true;
        // the callback runs as a pending branch; this path goes on after the call
        VerifierState callback;
        try
        {
            callback = PushBranch(_cfg.Subprogs[subprog].Start, _insnIdx);
        }
        catch (VerifierException e) when (e.Errno == -Errno.E2BIG)
        {
            // kernel: a failed push_stack is -ENOMEM here ("The sequence of 8193 jumps is too complex.")
            throw new VerifierException(-Errno.ENOMEM);
        }
        SetupFuncEntry(subprog, _insnIdx, setState, callback);
        callback.CallbackUnrollDepth++;
        callback.Frame(callback.CurFrame - 1).CallbackDepth++;
        caller.CallbackDepth = 0;
    }

    // kernel: the callback part of check_helper_call's switch
    private void PushHelperCallbacks(int funcId, in CallArgMeta meta)
    {
        switch (funcId)
        {
            case HelperIds.ForEachMapElem:
                MapAttributes map = meta.MapPtr!;
                PushCallbackCall(meta.SubprogNo, (caller, callee) => SetMapElemCallbackState(map, caller, callee));
                break;
            case HelperIds.TimerSetCallback:
                // bpf_timer is not supported at run time, so neither are its (asynchronous) callbacks
                throw Fail(-Errno.EINVAL, "bpf_timer callbacks are not supported");
            case HelperIds.Loop:
                FuncState frame = _cur.Current;
                if ((ulong)frame.CallbackDepth < Regs[1].Bounds.UMax)
                {
                    PushCallbackCall(meta.SubprogNo, SetLoopCallbackState);
                }
                else
                {
                    frame.CallbackDepth = 0;
                    if (_log.Level2On)
                        _log.Write(Inv($"frame{_cur.CurFrame} bpf_loop iteration limit reached\n"));
                }
                break;
            case HelperIds.UserRingbufDrain:
                PushCallbackCall(meta.SubprogNo, SetUserRingbufCallbackState);
                break;
        }
    }

    // kernel: set_user_ringbuf_callback_state: callback_fn(const struct bpf_dynptr *dynptr, void *callback_ctx); the
    // dynptr is a CONST_PTR_TO_DYNPTR of a local dynptr with an id of its own, which helpers may only read through
    private void SetUserRingbufCallbackState(FuncState caller, FuncState callee)
    {
        callee.Regs[1] = DynptrReg(BpfDynptrType.Local, firstSlot: true, ++_idGen);
        callee.Regs[2] = caller.Regs[3];
        callee.InCallbackFn = true;
        callee.CallbackRetRange = new RetvalRange(0, 1);
    }

    // kernel: set_loop_callback_state: callback_fn(u64 index, void *callback_ctx)
    private void SetLoopCallbackState(FuncState caller, FuncState callee)
    {
        MarkRegUnknown(ref callee.Regs[1]);
        callee.Regs[2] = caller.Regs[3];
        callee.InCallbackFn = true;
        callee.CallbackRetRange = new RetvalRange(0, 1);
    }

    // kernel: set_map_elem_callback_state and map_set_for_each_callback_args:
    // callback_fn(struct bpf_map *map, void *key, void *value, void *callback_ctx)
    private void SetMapElemCallbackState(MapAttributes map, FuncState caller, FuncState callee)
    {
        if (map.Type is not (BpfMapType.Array or BpfMapType.PercpuArray or BpfMapType.Hash or BpfMapType.PercpuHash
            or BpfMapType.LruHash or BpfMapType.LruPercpuHash))
            throw Fail(-Errno.ENOTSUPP, "callback function not allowed for map");
        callee.Regs[1] = caller.Regs[1];
        callee.Regs[2] = RegState.MapPointer(RegType.PtrToMapKey, map);
        callee.Regs[3] = RegState.MapPointer(RegType.PtrToMapValue, map);
        callee.Regs[4] = caller.Regs[3];
        callee.InCallbackFn = true;
        callee.CallbackRetRange = new RetvalRange(0, 1);
    }

    // kernel: the in_callback_fn part of prepare_func_exit: R0 must be a scalar in the callback's range
    private void CheckCallbackReturn(FuncState callee)
    {
        RegState r0 = callee.Regs[0];
        if (r0.Type != RegType.ScalarValue)
            throw Fail(-Errno.EACCES, "R0 not a scalar value");
        MarkChainPrecision(0); // the range check relies on R0's value
        RetvalRange range = callee.CallbackRetRange;
        if (!range.Contains(r0))
            throw Fail(-Errno.EINVAL, InvalidScalarText(r0, range, "At callback return", "R0"));
        if (!_cfg.CallsCallback(callee.Callsite))
            throw Fail(-Errno.EFAULT, Inv($"verifier bug: in callback at {_insnIdx}, callsite {callee.Callsite} !calls_callback"));
    }

    // kernel: verbose_invalid_scalar
    private static string InvalidScalarText(in RegState reg, RetvalRange range, string ctx, string regName)
    {
        var sb = new System.Text.StringBuilder(Inv($"{ctx} the register {regName} has"));
        bool unknown = true;
        if (reg.Bounds.SMin > long.MinValue) { sb.Append(Inv($" smin={reg.Bounds.SMin}")); unknown = false; }
        if (reg.Bounds.SMax < long.MaxValue) { sb.Append(Inv($" smax={reg.Bounds.SMax}")); unknown = false; }
        if (unknown) sb.Append(" unknown scalar value");
        sb.Append(Inv($" should have been in [{range.MinVal}, {range.MaxVal}]"));
        return sb.ToString();
    }

    /// <summary>
    /// Back at the helper call after a callback: scalars that changed since the last time the path was at the call,
    /// and whose exact value no check needed, become unknown, so that iterations converge (kernel: find_prev_entry
    /// and widen_imprecise_scalars). Widening only makes the state cover more, so it is always safe.
    /// </summary>
    private void WidenAfterCallback(int callsite)
    {
        VerifierState? prev = FindPrevEntry(callsite, _cur);
        if (prev is not null)
            WidenImpreciseScalars(prev, _cur);
    }

    // kernel: widen_imprecise_scalars: the scalars of the frames of prev that differ in state and were never needed precise
    private void WidenImpreciseScalars(VerifierState prev, VerifierState state)
    {
        _equiv.BeginExactComparison(_idGen);
        for (int f = prev.CurFrame; f >= 0; f--)
        {
            FuncState old = prev.Frame(f), cur = state.Frame(f);
            for (int i = 0; i < FuncState.RegisterCount; i++)
                MaybeWidenReg(old.Regs[i], ref cur.Regs[i]);
            int slots = Math.Min(old.SlotCount, cur.SlotCount);
            for (int s = 0; s < slots; s++)
            {
                if (!old.Slot(s).IsSpill || !cur.Slot(s).IsSpill)
                    continue;
                MaybeWidenReg(old.Slot(s).SpilledPtr, ref cur.Slot(s).SpilledPtr);
            }
        }
    }

    // kernel: maybe_widen_reg
    private void MaybeWidenReg(in RegState old, ref RegState cur)
    {
        if (old.Type != RegType.ScalarValue || cur.Type != old.Type)
            return;
        if (old.Precise || cur.Precise || _equiv.RegsExactNow(old, cur))
            return;
        MarkRegUnknown(ref cur);
    }

    // kernel: find_prev_entry: the checkpoint at the instruction that the path of cur went through on an earlier iteration
    private VerifierState? FindPrevEntry(int insnIdx, VerifierState cur)
    {
        List<ExploredState> list = ExploredList(insnIdx);
        for (int k = list.Count - 1; k >= 0; k--)
        {
            VerifierState st = list[k].State;
            if (st.InsnIdx == insnIdx && st.Branches > 0 && SameCallsites(st, cur) && st.DfsDepth < cur.DfsDepth)
                return st;
        }
        return null;
    }

    private static bool SameCallsites(VerifierState a, VerifierState b)
    {
        if (a.CurFrame != b.CurFrame)
            return false;
        for (int f = 0; f <= a.CurFrame; f++)
            if (a.Frame(f).Callsite != b.Frame(f).Callsite)
                return false;
        return true;
    }

    // kernel: process_timer_func: the map value's struct bpf_timer at a constant offset
    private void ProcessTimerFunc(int regno, ref CallArgMeta meta)
    {
        RegState reg = Regs[regno];
        MapAttributes map = reg.MapPtr!;
        if (!reg.Bounds.VarOff.IsConst)
            throw Fail(-Errno.EINVAL, Inv($"R{regno} doesn't have constant offset. bpf_timer has to be at the constant offset"));
        if (map.BtfValueTypeId == 0)
            throw Fail(-Errno.EINVAL, $"map '{map.Name}' has to have BTF in order to use bpf_timer");
        if (map.TimerOffset < 0)
            throw Fail(-Errno.EINVAL, $"map '{map.Name}' has no valid bpf_timer");
        long off = (long)reg.Bounds.VarOff.Value + reg.Off;
        if (off != map.TimerOffset)
            throw Fail(-Errno.EINVAL, Inv($"off {off} doesn't point to 'struct bpf_timer' that is at {map.TimerOffset}"));
        if (meta.MapPtr is not null)
            throw Fail(-Errno.EFAULT, "verifier bug: Two map pointers in a timer helper");
        meta.MapPtr = map;
    }
}
