using BpfSharp.Uapi;
using BpfSharp.Isa;
using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.Verifier;

// kernel: adjust_ptr_min_max_vals and check_reg_sane_offset; the unprivileged sanitation it calls is in
// BpfVerifier.Sanitize.cs.
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
        var info = new SanitizeInfo();
        if (op is BPF_ADD or BPF_SUB)
        {
            SanitizeReason reason = SanitizePtrAlu(insn, ptr, off, ptrIsDst: !offIsDst, ref info, commit: false);
            if (reason != SanitizeReason.None)
                throw SanitizeErr(insn, reason, offIsDst);
        }

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
        if (op is BPF_ADD or BPF_SUB)
        {
            SanitizeReason reason = SanitizePtrAlu(insn, dst, off, ptrIsDst: true, ref info, commit: true);
            if (reason != SanitizeReason.None)
                throw SanitizeErr(insn, reason, offIsDst);
        }
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
}
