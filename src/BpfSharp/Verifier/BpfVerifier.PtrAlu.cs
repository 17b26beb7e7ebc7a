using BpfSharp.Uapi;
using BpfSharp.Isa;
using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.Verifier;

// kernel: adjust_ptr_min_max_vals, check_reg_sane_offset, and the unprivileged checks of sanitize_ptr_alu /
// sanitize_check_bounds (the speculative-path simulation itself is not modelled: see the closing note).
public sealed partial class BpfVerifier
{
    /// <summary>The largest pointer offset the verifier reasons about (kernel: BPF_MAX_VAR_OFF).</summary>
    private const long MaxVarOff = 1L << 29;

    private void AdjustPtrMinMaxVals(Instruction insn, byte op, bool alu64, bool srcX, RegState ptr, RegState off,
        bool offIsDst)
    {
        ref RegState dst = ref Regs[insn.Dst];
        int dstNo = insn.Dst;
        ScalarBounds o = off.Bounds;
        bool known = o.VarOff.IsConst;
        if ((known && (o.SMin != o.SMax || o.UMin != o.UMax)) || o.SMin > o.SMax || o.UMin > o.UMax)
        {
            // an offset with impossible bounds, from a dead branch: the result is tainted
            MarkRegUnknown(ref dst);
            return;
        }
        if (!alu64)
        {
            if (op == BPF_SUB && _caps.AllowPtrLeaks)
            {
                MarkRegUnknown(ref dst);
                return;
            }
            throw Fail(-Errno.EACCES, Inv($"R{dstNo} 32-bit pointer arithmetic prohibited"));
        }
        if (ptr.Type.MayBeNull())
            throw Fail(-Errno.EACCES,
                Inv($"R{dstNo} pointer arithmetic on {ptr.Type.LogName()} prohibited, null-check it first"));
        switch (ptr.Type.BaseType())
        {
            case RegType.PtrToCtx or RegType.PtrToMapValue or RegType.PtrToMapKey or RegType.PtrToStack
                or RegType.PtrToPacketMeta or RegType.PtrToPacket or RegType.PtrToTpBuffer or RegType.PtrToBtfId
                or RegType.PtrToMem or RegType.PtrToBuf or RegType.PtrToFunc or RegType.ConstPtrToDynptr:
                break;
            case RegType.PtrToFlowKeys when known:
                break;
            case RegType.PtrToFlowKeys or RegType.ConstPtrToMap when known && o.SMin == 0 && op == BPF_ADD:
                break;
            default:
                throw Fail(-Errno.EACCES, Inv($"R{dstNo} pointer arithmetic on {ptr.Type.LogName()} prohibited"));
        }

        RegState result = ptr; // dst inherits the pointer's type, id and pointer fields
        CheckRegSaneOffset(off, ptr.Type);
        CheckRegSaneOffset(ptr, ptr.Type);
        result.Bounds.MarkUnbounded32(); // pointers carry no 32-bit bounds
        if (srcX && !_caps.BypassSpecV1 && op is BPF_ADD or BPF_SUB)
            SanitizePtrAlu(insn, ptr, off, offIsDst);

        ScalarBounds p = ptr.Bounds;
        switch (op)
        {
            case BPF_ADD:
                if (known && ptr.Off + o.SMin == (int)(ptr.Off + o.SMin))
                {
                    result.Off = (int)(ptr.Off + o.SMin); // pointer += K goes into the fixed offset
                    break;
                }
                if (ScalarBounds.AddOverflows(p.SMin, o.SMin, out long smin) || ScalarBounds.AddOverflows(p.SMax, o.SMax, out long smax))
                {
                    result.Bounds.SMin = long.MinValue;
                    result.Bounds.SMax = long.MaxValue;
                }
                else
                {
                    result.Bounds.SMin = smin;
                    result.Bounds.SMax = smax;
                }
                if (unchecked(p.UMin + o.UMin) < p.UMin || unchecked(p.UMax + o.UMax) < p.UMax)
                {
                    result.Bounds.UMin = 0;
                    result.Bounds.UMax = ulong.MaxValue;
                }
                else
                {
                    result.Bounds.UMin = p.UMin + o.UMin;
                    result.Bounds.UMax = p.UMax + o.UMax;
                }
                result.Bounds.VarOff = Tnum.Add(p.VarOff, o.VarOff);
                if (ptr.Type.BaseType() is RegType.PtrToPacket or RegType.PtrToPacketMeta)
                {
                    result.Id = ++_idGen;
                    result.Range = 0; // something was added: the range checked so far no longer applies
                }
                break;
            case BPF_SUB:
                if (offIsDst)
                    throw Fail(-Errno.EACCES, Inv($"R{dstNo} tried to subtract pointer from scalar"));
                if (ptr.Type == RegType.PtrToStack)
                    throw Fail(-Errno.EACCES, Inv($"R{dstNo} subtraction from stack pointer prohibited"));
                if (known && ptr.Off - o.SMin == (int)(ptr.Off - o.SMin))
                {
                    result.Off = (int)(ptr.Off - o.SMin);
                    break;
                }
                if (ScalarBounds.SubOverflows(p.SMin, o.SMax, out long ssmin) || ScalarBounds.SubOverflows(p.SMax, o.SMin, out long ssmax))
                {
                    result.Bounds.SMin = long.MinValue;
                    result.Bounds.SMax = long.MaxValue;
                }
                else
                {
                    result.Bounds.SMin = ssmin;
                    result.Bounds.SMax = ssmax;
                }
                if (p.UMin < o.UMax)
                {
                    result.Bounds.UMin = 0;
                    result.Bounds.UMax = ulong.MaxValue;
                }
                else
                {
                    result.Bounds.UMin = p.UMin - o.UMax;
                    result.Bounds.UMax = p.UMax - o.UMin;
                }
                result.Bounds.VarOff = Tnum.Sub(p.VarOff, o.VarOff);
                if (ptr.Type.BaseType() is RegType.PtrToPacket or RegType.PtrToPacketMeta)
                {
                    result.Id = ++_idGen;
                    if (o.SMin < 0) result.Range = 0;
                }
                break;
            case BPF_AND or BPF_OR or BPF_XOR:
                throw Fail(-Errno.EACCES, Inv($"R{dstNo} bitwise operator {AluString(op)} on pointer prohibited"));
            default:
                throw Fail(-Errno.EACCES, Inv($"R{dstNo} pointer arithmetic with {AluString(op)} operator prohibited"));
        }
        CheckRegSaneOffset(result, ptr.Type);
        result.Bounds.Sync();
        dst = result;
        SanitizeCheckBounds(dstNo, ref dst);
    }

    // kernel: check_reg_sane_offset
    private void CheckRegSaneOffset(in RegState reg, RegType type)
    {
        Tnum v = reg.Bounds.VarOff;
        long val = (long)v.Value;
        string name = type.LogName();
        if (v.IsConst && (val >= MaxVarOff || val <= -MaxVarOff))
            throw Fail(-Errno.EINVAL, Inv($"math between {name} pointer and {val} is not allowed"));
        if (reg.Off >= MaxVarOff || reg.Off <= -MaxVarOff)
            throw Fail(-Errno.EINVAL, Inv($"{name} pointer offset {reg.Off} is not allowed"));
        if (reg.Bounds.SMin == long.MinValue)
            throw Fail(-Errno.EINVAL, Inv($"math between {name} pointer and register with unbounded min value is not allowed"));
        if (reg.Bounds.SMin >= MaxVarOff || reg.Bounds.SMin <= -MaxVarOff)
            throw Fail(-Errno.EINVAL, Inv($"value {reg.Bounds.SMin} makes {name} pointer be out of bounds"));
    }

    // kernel: sanitize_ptr_alu's up-front refusals for loads that may not speculate (REASON_BOUNDS, REASON_TYPE)
    private void SanitizePtrAlu(Instruction insn, in RegState ptr, in RegState off, bool offIsDst)
    {
        const string err = "pointer arithmetic with it prohibited for !root";
        if (_cur.Speculative)
            return;
        if (!off.Bounds.VarOff.IsConst && (off.Bounds.SMin < 0) != (off.Bounds.SMax < 0))
            throw Fail(-Errno.EACCES,
                Inv($"R{(offIsDst ? insn.Dst : insn.Src)} has unknown scalar with mixed signed bounds, {err}"));
        if (ptr.Type is not (RegType.PtrToStack or RegType.PtrToMapValue))
            throw Fail(-Errno.EACCES,
                Inv($"R{(offIsDst ? insn.Src : insn.Dst)} has pointer with unsupported alu operation, {err}"));
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
