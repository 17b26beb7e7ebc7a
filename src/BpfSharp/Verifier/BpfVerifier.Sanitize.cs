using BpfSharp.Isa;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.Verifier;

// kernel: Spectre v1 sanitation of loads that may not bypass it (no CAP_PERFMON): sanitize_ptr_alu,
// retrieve_ptr_limit, update_alu_sanitation_state, sanitize_val_alu, sanitize_err, sanitize_check_bounds,
// sanitize_speculative_path, and the per-instruction state they keep (insn_aux_data's alu_state, alu_limit, nospec,
// nospec_result). Pointer arithmetic with a register is masked at run time to the limit seen here, so every path
// through one instruction must do the same kind of arithmetic within the same limit; what a mispredicted branch or
// a masked offset could reach is walked as a speculative path, where a failure only stops that path (the
// instruction gets a speculation barrier) instead of rejecting the program.
public sealed partial class BpfVerifier
{
    // kernel: BPF_ALU_SANITIZE_SRC, _DST, BPF_ALU_NEG_VALUE, BPF_ALU_NON_POINTER, BPF_ALU_IMMEDIATE
    private const uint AluSanitizeSrc = 1u << 0;
    private const uint AluSanitizeDst = 1u << 1;
    private const uint AluNegValue = 1u << 2;
    private const uint AluNonPointer = 1u << 3;
    private const uint AluImmediate = 1u << 4;

    private enum SanitizeReason { None, Bounds, Type, Paths, Limit }

    // kernel: bpf_sanitize_info: what the first call of sanitize_ptr_alu learned, for the second (commit) one
    private struct SanitizeInfo
    {
        public uint AluState;
        public uint AluLimit;
        public bool MaskToLeft;
    }

    private uint[]? _aluState;
    private uint[]? _aluLimit;
    private bool[]? _nospec;
    private bool[]? _nospecResult;

    private uint[] AluStates => _aluState ??= new uint[_insns.Length];

    private uint[] AluLimits => _aluLimit ??= new uint[_insns.Length];

    private bool[] Nospec => _nospec ??= new bool[_insns.Length];

    private bool[] NospecResult => _nospecResult ??= new bool[_insns.Length];

    // kernel: can_skip_alu_sanitation
    private bool CanSkipAluSanitation(Instruction insn) =>
        _caps.BypassSpecV1 || (insn.Opcode & BPF_X) == 0 || (_nospec is not null && _nospec[_insnIdx]);

    // kernel: error_recoverable_with_nospec: on a speculative path these stop the path instead of the load
    private static bool ErrorRecoverableWithNospec(int err) => err is -Errno.EPERM or -Errno.EACCES or -Errno.EINVAL;

    /// <summary>
    /// kernel: sanitize_ptr_alu. The first call (<paramref name="commit"/> false) checks the offset and records in
    /// <paramref name="info"/> how the pointer may move, and walks the path where a masked offset leaves the pointer
    /// where it was; the second, after the arithmetic, commits the distance actually moved to the instruction.
    /// </summary>
    private SanitizeReason SanitizePtrAlu(Instruction insn, in RegState ptr, in RegState off, bool ptrIsDst,
        ref SanitizeInfo info, bool commit)
    {
        if (CanSkipAluSanitation(insn))
            return SanitizeReason.None;
        byte op = (byte)(insn.Opcode & 0xf0);
        bool offIsImm = off.Bounds.VarOff.IsConst;
        bool offIsNeg = off.Bounds.SMin < 0;
        if (!_cur.Speculative)
        {
            if (!commit)
            {
                if (!offIsImm && (off.Bounds.SMin < 0) != (off.Bounds.SMax < 0))
                    return SanitizeReason.Bounds;
                info.MaskToLeft = (op == BPF_ADD && offIsNeg) || (op == BPF_SUB && !offIsNeg);
            }
            SanitizeReason reason = RetrievePtrLimit(ptr, info.MaskToLeft, out uint limit);
            if (reason != SanitizeReason.None)
                return reason;
            uint state;
            if (commit)
            {
                state = info.AluState;
                limit = (uint)Math.Abs((long)info.AluLimit - limit);
                reason = UpdateAluSanitationState(ref AluStates[_insnIdx], ref AluLimits[_insnIdx], state, limit);
            }
            else
            {
                state = (offIsNeg ? AluNegValue : 0) | (offIsImm ? AluImmediate : 0) | (ptrIsDst ? AluSanitizeSrc : AluSanitizeDst);
                if (!offIsImm)
                    _equiv.ExploreAluLimits = true; // masking may differ by path: prune only on identical scalars
                reason = UpdateAluSanitationState(ref info.AluState, ref info.AluLimit, state, limit);
            }
            if (reason != SanitizeReason.None)
                return reason;
        }
        // the masked offset, when it was out of the expected range, is 0: the pointer stays where it was
        if (commit || offIsImm)
            return SanitizeReason.None;
        int dst = insn.Dst;
        RegState saved = Regs[dst];
        if (!ptrIsDst)
            Regs[dst] = ptr;
        PushBranch(_insnIdx + 1, _insnIdx, speculative: true);
        if (!ptrIsDst)
            Regs[dst] = saved;
        return SanitizeReason.None;
    }

    // kernel: retrieve_ptr_limit: how far the arithmetic may move the pointer, the masking limit
    private static SanitizeReason RetrievePtrLimit(in RegState ptr, bool maskToLeft, out uint limit)
    {
        uint max;
        switch (ptr.Type)
        {
            case RegType.PtrToStack:
                // offset 0 is out of bounds but a fine start going left (the frame pointer)
                max = (uint)FuncState.MaxStack + (maskToLeft ? 1u : 0u);
                limit = unchecked((uint)-((long)ptr.Bounds.VarOff.Value + ptr.Off));
                break;
            case RegType.PtrToMapValue:
                max = ptr.MapPtr!.ValueSize;
                limit = unchecked((uint)((maskToLeft ? (ulong)ptr.Bounds.SMin : ptr.Bounds.UMax) + (ulong)(long)ptr.Off));
                break;
            default:
                limit = 0;
                return SanitizeReason.Type;
        }
        return limit >= max ? SanitizeReason.Limit : SanitizeReason.None;
    }

    // kernel: update_alu_sanitation_state: every path through the instruction must agree
    private static SanitizeReason UpdateAluSanitationState(ref uint auxState, ref uint auxLimit, uint state, uint limit)
    {
        if (auxState != 0 && (auxState != state || auxLimit != limit))
            return SanitizeReason.Paths;
        auxState = state;
        auxLimit = limit;
        return SanitizeReason.None;
    }

    // kernel: sanitize_val_alu: scalar += scalar at an instruction that must not also do pointer arithmetic
    private void SanitizeValAlu(Instruction insn)
    {
        if (CanSkipAluSanitation(insn))
            return;
        SanitizeReason reason = UpdateAluSanitationState(ref AluStates[_insnIdx], ref AluLimits[_insnIdx], AluNonPointer, 0);
        if (reason != SanitizeReason.None)
            throw SanitizeErr(insn, reason, offIsDst: false);
    }

    // kernel: sanitize_err
    private VerifierException SanitizeErr(Instruction insn, SanitizeReason reason, bool offIsDst)
    {
        const string err = "pointer arithmetic with it prohibited for !root";
        string op = (insn.Opcode & 0xf0) == BPF_ADD ? "add" : "sub";
        return reason switch
        {
            SanitizeReason.Bounds => Fail(-Errno.EACCES,
                Inv($"R{(offIsDst ? insn.Dst : insn.Src)} has unknown scalar with mixed signed bounds, {err}")),
            SanitizeReason.Type => Fail(-Errno.EACCES,
                Inv($"R{(offIsDst ? insn.Src : insn.Dst)} has pointer with unsupported alu operation, {err}")),
            SanitizeReason.Paths => Fail(-Errno.EACCES, Inv($"R{insn.Dst} tried to {op} from different maps, paths or scalars, {err}")),
            _ => Fail(-Errno.EACCES, Inv($"R{insn.Dst} tried to {op} beyond pointer bounds, {err}")),
        };
    }

    // kernel: sanitize_speculative_path for a branch whose outcome is known: the other side is walked as a
    // speculative path, with the compared registers unknown
    private void PushSpeculativeBranch(Instruction insn, int target)
    {
        VerifierState branch = PushBranch(target, _insnIdx, speculative: true);
        MarkRegUnknown(ref branch.Regs[insn.Dst]);
        if ((insn.Opcode & BPF_X) != 0)
            MarkRegUnknown(ref branch.Regs[insn.Src]);
    }

    // kernel: sanitize_check_bounds: unprivileged pointer arithmetic must stay within the object
    private void SanitizeCheckBounds(int regno, ref RegState dst)
    {
        if (_caps.BypassSpecV1)
            return;
        switch (dst.Type)
        {
            case RegType.PtrToStack:
                long off = dst.Off + (long)dst.Bounds.VarOff.Value;
                if (!dst.Bounds.VarOff.IsConst)
                    throw Fail(-Errno.EACCES,
                        Inv($"R{regno} variable stack access prohibited for !root, var_off={dst.Bounds.VarOff} off={off}"));
                if (off >= 0 || off < -FuncState.MaxStack)
                    throw Fail(-Errno.EACCES,
                        Inv($"R{regno} stack pointer arithmetic goes out of range, prohibited for !root; off={off}"));
                break;
            case RegType.PtrToMapValue:
                try
                {
                    CheckMapAccess(regno, dst.Off, 1, false); // logs why, as the kernel's check_map_access does
                }
                catch (VerifierException)
                {
                    throw Fail(-Errno.EACCES,
                        Inv($"R{regno} pointer arithmetic of map value goes out of range, prohibited for !root"));
                }
                break;
        }
    }
}
