using BpfSharp.Uapi;
using BpfSharp.Isa;
using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.Verifier;

// kernel: do_check, push_stack, pop_stack, and the log of each step.
public sealed partial class BpfVerifier
{
    // The walk from _cur, the state at the first instruction of the subprogram its frame 0 runs (see DoCheckCommon).
    private void DoCheck()
    {
        InitPruning();
        MarkAllScratched();
        bool doPrintState = false;
        _insnIdx = _cfg.Subprogs[_cur.Frame(0).Subprogno].Start;
        _prevInsnIdx = -1;
        for (;;)
        {
            if (++_insnProcessed > Cfg.ComplexityLimitInsns)
                throw Fail(-Errno.E2BIG, Inv($"BPF program is too large. Processed {_insnProcessed} insn"));
            if ((uint)_insnIdx >= (uint)_insns.Length)
                throw Fail(-Errno.EFAULT, Inv($"invalid insn idx {_insnIdx} insn_cnt {_insns.Length}"));
            _curHistEnt = -1; // a new instruction: no history entry yet
            _envPrevInsnIdx = _prevInsnIdx;
            _cur.LastInsnIdx = _prevInsnIdx;
            _cur.InsnIdx = _insnIdx;
            Instruction insn = _insns[_insnIdx];

            if (_cfg.IsPrunePoint(_insnIdx) && IsStateVisited(_insnIdx))
            {
                // an explored, fully verified state covers this one: the path is safe
                if (_log.Enabled)
                    _log.Write(doPrintState ? Inv($"\nfrom {_prevInsnIdx} to {_insnIdx}{SpeculativeSuffix}: safe\n") : Inv($"{_insnIdx}: safe\n"));
                if (!EndPath())
                    break;
                doPrintState = true;
                continue;
            }
            if (_cfg.IsJmpPoint(_insnIdx))
                PushInsnHistory(_cur, JmpHistoryFlags.None, 0);

            if (_log.Level2On && doPrintState)
            {
                _log.Write(Inv($"\nfrom {_prevInsnIdx} to {_insnIdx}{SpeculativeSuffix}:"));
                StatePrinter.AppendVerifierState(_log.Builder, _cur, _cur.CurFrame, printAll: true);
                doPrintState = false;
            }
            if (_log.Enabled)
            {
                if (IsStateScratched)
                    PrintInsnState();
                VerboseLinfo(_insnIdx);
                _prevLogPos = _log.EndPos;
                _log.Write(Inv($"{_insnIdx}: "));
                _disasmIdx = _insnIdx;
                Disassembler.AppendTo(_log.Builder, _insns, _insnIdx, _disasmOptions ??= DisasmOptions());
                _log.Write("\n");
                _prevInsnPrintPos = _log.EndPos - _prevLogPos;
                _prevLogPos = _log.EndPos;
            }
            _prevInsnIdx = _insnIdx;

            // a speculative path stops at a speculation barrier
            if (_cur.Speculative && _nospec is not null && _nospec[_insnIdx])
            {
                if (!EndPath())
                    break;
                doPrintState = true;
                continue;
            }
            int insnIdx = _insnIdx;
            try
            {
                byte cls = (byte)(insn.Opcode & 0x07);
                if (cls is BPF_ALU or BPF_ALU64)
                {
                    CheckAluOp(insn);
                }
                else if (cls == BPF_LDX)
                {
                    bool isLdsx = (insn.Opcode & 0xe0) == BPF_MEMSX;
                    CheckLoadMem(insn, isLdsx);
                }
                else if (cls == BPF_STX)
                {
                    if ((insn.Opcode & 0xe0) == BPF_ATOMIC)
                        CheckAtomic(insn);
                    else
                        CheckStoreReg(insn);
                }
                else if (cls == BPF_ST)
                {
                    CheckStoreImm(insn);
                }
                else if (cls is BPF_JMP or BPF_JMP32)
                {
                    _jmpsProcessed++;
                    byte op = (byte)(insn.Opcode & 0xf0);
                    if (op == BPF_CALL)
                    {
                        // kernel: do_check; subprogram calls stay allowed while a lock is held
                        if (_cur.ActiveLockMap is not null && (insn.Src == 0 && insn.Imm != HelperIds.SpinUnlock || insn.Src == BPF_PSEUDO_KFUNC_CALL))
                            throw Fail(-Errno.EINVAL, "function calls are not allowed while holding a lock");
                        if (insn.Src == BPF_PSEUDO_CALL)
                            CheckFuncCall(insn);
                        else if (insn.Src == BPF_PSEUDO_KFUNC_CALL)
                            throw Fail(-Errno.EINVAL, "calling kernel function (kfunc) is not supported without CONFIG_DEBUG_INFO_BTF");
                        else
                            CheckHelperCall(insn);
                        MarkRegScratched(0);
                        if (insn.Src == 0 && insn.Imm == HelperIds.TailCall && _cur.CurFrame > 0)
                        {
                            TailCallFromSubprog();
                            continue;
                        }
                    }
                    else if (op == BPF_JA)
                    {
                        _insnIdx += (cls == BPF_JMP ? insn.Offset : insn.Imm) + 1;
                        continue;
                    }
                    else if (op == BPF_EXIT)
                    {
                        CheckResourceLeak("BPF_EXIT instruction in main prog", exemptInSubprog: true);
                        if (_cur.CurFrame > 0)
                        {
                            PrepareFuncExit();
                            doPrintState = true;
                            continue;
                        }
                        CheckReturnCode();
                        if (!EndPath())
                            break;
                        doPrintState = true;
                        continue;
                    }
                    else
                    {
                        CheckCondJmpOp(insn);
                    }
                }
                else if (cls == BPF_LD)
                {
                    byte mode = (byte)(insn.Opcode & 0xe0);
                    if (mode is BPF_ABS or BPF_IND)
                    {
                        CheckLdAbs(insn);
                    }
                    else
                    {
                        CheckLdImm(insn);
                        _insnIdx++;
                    }
                }
            }
            catch (VerifierException e) when (_cur.Speculative && ErrorRecoverableWithNospec(e.Errno))
            {
                // kernel: a failure on a speculative path puts a speculation barrier before the instruction (and
                // drops its ALU sanitation) instead of rejecting the program
                Nospec[insnIdx] = true;
                if (_aluState is not null) _aluState[insnIdx] = 0;
                if (!EndPath())
                    break;
                doPrintState = true;
                continue;
            }
            if (_cur.Speculative && _nospecResult is not null && _nospecResult[insnIdx])
            {
                // a barrier after the instruction (a store the speculative path must not pass)
                if (!EndPath())
                    break;
                doPrintState = true;
                continue;
            }
            _insnIdx++;
        }
    }

    private string SpeculativeSuffix => _cur.Speculative ? " (speculative execution)" : "";

    // kernel: process_bpf_exit: the path ended (exit, or pruned); continue with the next pending branch, if any
    private bool EndPath()
    {
        MarkAllScratched();
        UpdateBranchCounts(_cur, ref _freeListSize);
        return PopBranch();
    }

    // kernel: push_stack. The new path starts at insn; the log position lets level 1 rewind a finished path.
    private VerifierState PushBranch(int insnIdx, int prevInsnIdx, bool speculative = false)
    {
        if (_branches.Count >= MaxPendingBranches)
            throw Fail(-Errno.E2BIG, Inv($"The sequence of {_branches.Count + 1} jumps is too complex."));
        VerifierState state = _cur.Clone();
        state.InsnIdx = insnIdx;
        state.Speculative |= speculative;
        if (state.Parent is { } parent)
            parent.Branches++; // one more open path continues from that checkpoint
        _branches.Push(new PendingBranch(state, insnIdx, prevInsnIdx, _log.EndPos));
        return state;
    }

    // kernel: pop_stack with pop_log at level 1.
    private bool PopBranch()
    {
        if (!_branches.TryPop(out PendingBranch b))
            return false;
        if (!_log.Level2On)
            _log.Reset(b.LogPos);
        _cur = b.State;
        _insnIdx = b.InsnIdx;
        _prevInsnIdx = b.PrevInsnIdx;
        return true;
    }

    private bool IsStateScratched => _scratchedRegs != 0 || _scratchedStack != 0;

    private void MarkRegScratched(int regno) => _scratchedRegs |= 1u << regno;

    private void MarkStackSlotScratched(int spi)
    {
        if (spi < 64) _scratchedStack |= 1UL << spi;
    }

    private void MarkAllScratched()
    {
        _scratchedRegs = uint.MaxValue;
        _scratchedStack = ulong.MaxValue;
    }

    // kernel: print_verifier_state with print_all false, then mark_verifier_state_clean.
    private void PrintScratchedState(int frameno)
    {
        StatePrinter.AppendVerifierState(_log.Builder, _cur, frameno, printAll: false, _scratchedRegs, _scratchedStack);
        _scratchedRegs = 0;
        _scratchedStack = 0;
    }

    // kernel: print_insn_state: the state on the instruction's own line when nothing was written since it.
    private int _prevLinfo = -1;

    // kernel: verbose_linfo: the source line covering the instruction, when it is not the one shown last.
    private void VerboseLinfo(int insnIdx)
    {
        IReadOnlyList<VerifierLineInfo>? lines = _opt.LineInfo;
        if (lines is null || lines.Count == 0) return;
        int lo = 0, hi = lines.Count - 1, found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (lines[mid].Instruction <= insnIdx) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        if (found < 0 || found == _prevLinfo) return;
        VerifierLineInfo l = lines[found];
        // Another record of the line last shown (clang writes one per column) shows nothing, as in the live kernel.
        if (_prevLinfo >= 0 && lines[_prevLinfo] is var p && p.Line == l.Line && p.File == l.File && p.Source == l.Source)
        {
            _prevLinfo = found;
            return;
        }
        _log.Write(Inv($"; {l.Source.TrimStart()} @ {System.IO.Path.GetFileName(l.File)}:{l.Line}\n"));
        _prevLinfo = found;
    }

    private void PrintInsnState()
    {
        if (_prevLogPos != 0 && _prevLogPos == _log.EndPos)
        {
            _log.Reset(_prevLogPos - 1);
            int pad = StatePrinter.InsnStateAlignment(_prevInsnPrintPos - 1);
            _log.Builder.Append(' ', pad).Append(';');
        }
        else
        {
            _log.Write(Inv($"{_insnIdx}:"));
        }
        PrintScratchedState(_cur.CurFrame);
    }

    private void PrintFullState(int frameno) =>
        StatePrinter.AppendVerifierState(_log.Builder, _cur, frameno, printAll: true);

    private DisassemblerOptions? _disasmOptions;
    private int _disasmIdx; // the instruction being disassembled, for the map of a 64-bit immediate load

    // kernel: print_bpf_insn prints a callback address as the raw immediate, in hex
    private static string? PseudoFuncText(Instruction insn, Instruction next) => insn.Src != BPF_PSEUDO_FUNC ? null
        : Inv($"0x{((ulong)(uint)next.Imm << 32) | (uint)insn.Imm:x}");

    // The log names maps by id as the kernel does (map[id:N]); the instruction stream still holds fds.
    private DisassemblerOptions DisasmOptions() => DisassemblerOptions.Default with
    {
        ShowIndex = false,
        Imm64Text = (insn, next) => insn.Src == BPF_PSEUDO_FUNC ? PseudoFuncText(insn, next)
            : !_mapLoads.TryGetValue(_disasmIdx, out VerifierMapLoad load) ? null
            : load.IsValue ? Inv($"map[id:{load.Map.Id}][0]+{load.Offset}") : Inv($"map[id:{load.Map.Id}]"),
    };
}
