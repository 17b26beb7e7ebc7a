using BpfSharp.Uapi;

namespace BpfSharp.Verifier;

// kernel: do_check_main, do_check_subprogs, do_check_common, and the global-function half of check_func_call.
public sealed partial class BpfVerifier
{
    // kernel: do_check_subprogs: every global function a verified path called, verified on its own once, until no new
    // one was called
    private void DoCheckSubprogs()
    {
        if (!HasFuncInfo)
            return;
        int verified;
        do
        {
            verified = 0;
            for (int i = 1; i < _subprogAux.Length; i++)
            {
                SubprogAux sub = _subprogAux[i];
                if (!SubprogIsGlobal(i) || !sub.Called || sub.Verified)
                    continue;
                DoCheckCommon(i);
                if (_log.Enabled)
                    _log.Write(Inv($"Func#{i} ('{SubprogName(i)}') is safe for any args that match its prototype\n"));
                sub.Verified = true;
                verified++;
            }
        }
        while (verified != 0);
    }

    /// <summary>
    /// Walks every path of subprogram <paramref name="subprog"/> from a fresh state (kernel: do_check_common): the main
    /// program with R1 the context, a global function with R1-R5 what its BTF prototype says. A walk that succeeds at
    /// log level 1 leaves nothing in the log.
    /// </summary>
    private void DoCheckCommon(int subprog)
    {
        bool popLog = !_log.Level2On;
        _prevLinfo = -1;
        var state = new VerifierState(subprog) { FirstInsnIdx = _cfg.Subprogs[subprog].Start, LastInsnIdx = -1 };
        _cur = state;
        RegState[] regs = state.Regs;
        SubprogAux sub = _subprogAux[subprog];
        if (subprog != 0)
        {
            if (_log.Enabled)
                _log.Write(Inv($"Validating {SubprogName(subprog)}() func#{subprog}...\n"));
            int err = PrepareFuncArgs(subprog);
            if (err != 0)
                throw new VerifierException(err);
            for (int i = 1; i <= sub.ArgCount; i++)
            {
                SubprogArg arg = sub.Args[i - 1];
                switch (arg.Kind)
                {
                    case SubprogArgKind.Ctx:
                        regs[i] = RegState.Pointer(RegType.PtrToCtx);
                        break;
                    case SubprogArgKind.Mem:
                        regs[i] = RegState.Pointer(RegType.PtrToMem | (arg.MaybeNull ? RegType.PtrMaybeNull : 0));
                        regs[i].MemSize = arg.MemSize;
                        if (arg.MaybeNull)
                            regs[i].Id = ++_idGen;
                        break;
                    default: // a scalar, or an arena pointer the caller may pass as a scalar
                        MarkRegUnknown(ref regs[i]);
                        break;
                }
            }
        }
        else
        {
            // the main program's BTF is checked against the expected signature; a mismatch only makes it unreliable
            if (HasFuncInfo && (PrepareFuncArgs(0) != 0 || sub.ArgCount != 1 || sub.Args[0].Kind != SubprogArgKind.Ctx))
                sub.Unreliable = true;
            regs[1] = RegState.Pointer(RegType.PtrToCtx);
        }
        DoCheck();
        if (popLog)
            _log.Reset(0);
    }

    // kernel: check_func_call for a global function: only the arguments are checked against the prototype; the call
    // returns an unknown scalar, and the function is verified later, on its own
    private void CallGlobalFunc(int subprog, int btfErr)
    {
        string name = SubprogName(subprog);
        if (_cur.ActiveLockMap is not null)
            throw Fail(-Errno.EINVAL, "global function calls are not allowed while holding a lock,\nuse static function instead");
        if (btfErr != 0)
            throw Fail(btfErr, Inv($"Caller passes invalid args into func#{subprog} ('{name}')"));
        if (_log.Enabled)
            _log.Write(Inv($"Func#{subprog} ('{name}') is global and assumed valid.\n"));
        if (ChangesPacketData(subprog))
            ForEachReg(_cur, (ref RegState reg) =>
            {
                if (reg.Type.IsPktPointer()) MarkRegInvalid(ref reg);
            });
        _subprogAux[subprog].Called = true;
        RegState[] regs = Regs;
        foreach (int r in CallerSaved)
        {
            regs[r].MarkNotInit();
            CheckRegArg(r, RegArg.DstNoMark);
        }
        MarkRegUnknown(ref regs[0]);
    }

    private bool[]? _changesPacketData;

    // kernel: subprog_info[].changes_pkt_data: the subprogram, or one it calls, calls a helper that changes packet data
    private bool ChangesPacketData(int subprog)
    {
        if (_changesPacketData is null)
        {
            int n = _cfg.Subprogs.Length;
            var changes = new bool[n];
            var calls = new List<int>[n];
            for (int s = 0; s < n; s++)
            {
                calls[s] = [];
                SubprogInfo info = _cfg.Subprogs[s];
                for (int pc = info.Start; pc < info.End; pc++)
                {
                    Isa.Instruction insn = _insns[pc];
                    if (insn.Opcode != (Isa.Opcodes.BPF_JMP | Isa.Opcodes.BPF_CALL))
                        continue;
                    // a tail call may run a program that changes packet data before the function returns
                    if (insn.Src == 0 && (HelperIds.ChangesPacketData(insn.Imm) || insn.Imm == HelperIds.TailCall))
                        changes[s] = true;
                    else if (insn.Src == Isa.Opcodes.BPF_PSEUDO_CALL && _cfg.FindSubprog(pc + insn.Imm + 1) is var callee and >= 0)
                        calls[s].Add(callee);
                }
            }
            for (bool changed = true; changed;)
            {
                changed = false;
                for (int s = 0; s < n; s++)
                    foreach (int callee in calls[s])
                        if (changes[callee] && !changes[s])
                            changes[s] = changed = true;
            }
            _changesPacketData = changes;
        }
        return _changesPacketData[subprog];
    }
}
