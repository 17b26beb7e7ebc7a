using BpfSharp.Elf.Btf;
using BpfSharp.Uapi;

namespace BpfSharp.Verifier;

// kernel: check_ptr_to_btf_access and the trust rules of what a walk yields (is_trusted_reg, type_is_trusted,
// type_is_rcu, ..., btf_nested_type_is_trusted), mark_btf_ld_reg.
public sealed partial class BpfVerifier
{
    // kernel: BPF_REG_TRUSTED_MODIFIERS
    private const RegType TrustedModifiers = RegType.MemAlloc | RegType.PtrTrusted | RegType.NonOwnRef;

    // kernel: check_ptr_to_btf_access (programs without their own btf_struct_access: every kernel type here)
    private void CheckPtrToBtfAccess(int regno, int off, int size, BpfAccessType t, int valueRegno)
    {
        RegState[] regs = Regs;
        RegState reg = regs[regno];
        BtfBlob btf = reg.Btf!;
        string tname = btf.NameOf(reg.BtfId);
        if (!_caps.AllowPtrLeaks)
            throw Fail(-Errno.EPERM, Inv($"'struct {tname}' access is allowed only to CAP_PERFMON and CAP_SYS_ADMIN"));
        if (!_opt.GplCompatible)
            throw Fail(-Errno.EINVAL, Inv($"Cannot access kernel 'struct {tname}' from non-GPL compatible program"));
        if (off < 0)
            throw Fail(-Errno.EACCES, Inv($"R{regno} is ptr_{tname} invalid negative access: off={off}"));
        if (!reg.Bounds.VarOff.IsConst || reg.Bounds.VarOff.Value != 0)
            throw Fail(-Errno.EACCES, Inv($"R{regno} is ptr_{tname} invalid variable offset: off={off}, var_off={reg.Bounds.VarOff}"));
        if (reg.Type.Has(RegType.MemUser))
            throw Fail(-Errno.EACCES, Inv($"R{regno} is ptr_{tname} access user memory: off={off}"));
        if (reg.Type.Has(RegType.MemPercpu))
            throw Fail(-Errno.EACCES, Inv($"R{regno} is ptr_{tname} access percpu memory: off={off}"));
        if (t != BpfAccessType.Read)
            throw Fail(-Errno.EACCES, "only read is supported");
        int err = BtfStructWalk.Access(btf, reg.BtfId, off, size, out BtfWalkResult result, out uint btfId,
            out RegType flag, out string? fieldName, out string? message);
        if (message is not null)
            _log.Write(message);
        if (err < 0)
            throw new VerifierException(err);
        if (result == BtfWalkResult.BtfId)
        {
            if (reg.Type.Has(RegType.PtrUntrusted))
                flag = RegType.PtrUntrusted; // what an untrusted pointer leads to is untrusted too
            else if (IsTrustedReg(reg) || reg.Type.Has(RegType.MemRcu))
                flag = WalkedFromTrusted(reg, fieldName!, btfId, flag);
            else
                flag &= ~(RegType.PtrTrusted | RegType.MemRcu); // old compat: a plain PTR_TO_BTF_ID
        }
        if (valueRegno < 0) return;
        ref RegState v = ref regs[valueRegno];
        switch (result)
        {
            case BtfWalkResult.Scalar:
                MarkRegUnknown(ref v);
                break;
            case BtfWalkResult.BtfId:
                MarkRegKnownZero(ref v);
                v.Type = RegType.PtrToBtfId | flag;
                (v.Btf, v.BtfId) = (btf, btfId);
                if ((flag & RegType.PtrMaybeNull) != 0)
                    v.Id = ++_idGen;
                break;
            default:
                MarkRegKnownZero(ref v);
                v.Type = RegType.PtrToMem | flag;
                v.MemSize = 0;
                break;
        }
    }

    // kernel: the trusted/rcu branch of check_ptr_to_btf_access
    private RegType WalkedFromTrusted(in RegState reg, string fieldName, uint btfId, RegType flag)
    {
        bool inRcuCs = !_opt.Sleepable; // kernel: in_rcu_cs (no bpf_rcu_read_lock here)
        if (NestedTypeIsTrusted(reg, fieldName, btfId, "__safe_trusted"))
            return flag | RegType.PtrTrusted;
        if (NestedTypeIsTrusted(reg, fieldName, btfId, "__safe_trusted_or_null"))
            return flag | RegType.PtrTrusted | RegType.PtrMaybeNull;
        if (!inRcuCs || reg.Type.MayBeNull())
            return RegType.PtrUntrusted;
        if (NestedTypeIsTrusted(reg, fieldName, btfId, "__safe_rcu"))
            return flag | RegType.MemRcu;
        bool rcuOrNull = NestedTypeIsTrusted(reg, fieldName, btfId, "__safe_rcu_or_null");
        if ((flag & RegType.MemRcu) != 0 || rcuOrNull)
        {
            flag |= RegType.MemRcu | RegType.PtrMaybeNull;
            if (rcuOrNull) flag &= ~RegType.PtrUntrusted;
            return flag;
        }
        if ((flag & (RegType.MemPercpu | RegType.MemUser)) != 0)
            return flag;
        return flag & ~(RegType.PtrTrusted | RegType.MemRcu);
    }

    // kernel: is_trusted_reg (no program-allocated objects here)
    private static bool IsTrustedReg(in RegState reg)
    {
        if (reg.RefObjId != 0) return true;
        RegType flags = reg.Type.Flags();
        return (flags & TrustedModifiers) != 0 && (flags & ~TrustedModifiers) == 0;
    }

    // kernel: btf_nested_type_is_trusted: the kernel lists the members it vouches for as the members of a struct
    // named after the walked one with a suffix ("task_struct__safe_rcu"), which vmlinux BTF carries.
    private static bool NestedTypeIsTrusted(in RegState reg, string fieldName, uint btfId, string suffix)
    {
        BtfBlob btf = reg.Btf!;
        BtfType walked = btf.GetType(reg.BtfId);
        string safeName = walked.Name + suffix;
        if (safeName.Length >= 64) return false;
        if (btf.FindByName(safeName, walked.Kind) is not { } safeId) return false;
        BtfType safe = btf.GetType(safeId);
        for (int i = 0; i < safe.Vlen; i++)
        {
            BtfMember m = safe.Member(i);
            BtfType mtype = btf.GetType(m.Type);
            if (mtype.Kind != BtfKind.Ptr) continue;
            if (btf.SkipModifiers(mtype.Type) == btfId && m.Name == fieldName) return true;
        }
        return false;
    }
}
