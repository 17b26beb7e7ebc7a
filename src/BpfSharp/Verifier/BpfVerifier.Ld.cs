using BpfSharp.Isa;
using BpfSharp.Maps;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.Verifier;

// kernel: check_ld_imm and check_ld_abs.
public sealed partial class BpfVerifier
{
    private void CheckLdImm(Instruction insn)
    {
        CheckRegArg(insn.Dst, RegArg.Dst);
        ref RegState dst = ref Regs[insn.Dst];
        Instruction next = _insns[_insnIdx + 1];
        if (insn.Src == 0)
        {
            dst.Type = RegType.ScalarValue;
            dst.MarkKnown(((ulong)(uint)next.Imm << 32) | (uint)insn.Imm);
            return;
        }
        MarkRegKnownZero(ref dst);
        if (insn.Src == BPF_PSEUDO_FUNC)
        {
            // the address of a subprogram, for a helper to call back: only a static function with BTF
            int subprogno = _cfg.FindSubprog(_insnIdx + insn.Imm + 1);
            if (!HasFuncInfo)
                throw Fail(-Errno.EINVAL, "missing btf func_info");
            if (_subprogAux[subprogno].Linkage != SubprogAux.Static)
                throw Fail(-Errno.EINVAL, "callback function not static");
            dst.Type = RegType.PtrToFunc;
            dst.SubprogNo = subprogno;
            return;
        }
        if (insn.Src == BPF_PSEUDO_BTF_ID)
            throw Fail(-Errno.EINVAL, "kernel is missing BTF, make sure CONFIG_DEBUG_INFO_BTF=y is specified in Kconfig.");
        if (!_mapLoads.TryGetValue(_insnIdx, out VerifierMapLoad load))
            throw Fail(-Errno.EFAULT, "bpf verifier is misconfigured");
        dst.MapPtr = load.Map.Attributes;
        if (load.IsValue)
        {
            dst.Type = RegType.PtrToMapValue;
            dst.Off = (int)load.Offset;
        }
        else
        {
            dst.Type = RegType.ConstPtrToMap;
        }
    }

    // The inner-map template of a map-in-map the program loaded (kernel: map->inner_map_meta).
    private MapAttributes? InnerMapOf(MapAttributes outer)
    {
        foreach (VerifierMapLoad load in _mapLoads.Values)
        {
            if (!ReferenceEquals(load.Map.Attributes, outer)) continue;
            return load.Map switch
            {
                ArrayOfMaps a => a.Template.Attributes,
                HashOfMaps h => h.Template.Attributes,
                _ => null,
            };
        }
        return null;
    }

    private static readonly int[] CallerSaved = [0, 1, 2, 3, 4, 5];

    private void CheckLdAbs(Instruction insn)
    {
        if (!_ops.MayAccessSkb)
            throw Fail(-Errno.EINVAL, "BPF_LD_[ABS|IND] instructions not allowed for this program type");
        CheckRegArg(6, RegArg.Src);
        CheckResourceLeak("BPF_LD_[ABS|IND]");
        RegState ctx = Regs[6];
        if (ctx.Type != RegType.PtrToCtx)
            throw Fail(-Errno.EINVAL, "at the time of BPF_LD_ABS|IND R6 != pointer to skb");
        if ((insn.Opcode & 0xe0) == BPF_IND)
            CheckRegArg(insn.Src, RegArg.Src);
        CheckPtrOffReg(ctx, 6, fixedOffOk: false);
        foreach (int r in CallerSaved)
        {
            Regs[r].MarkNotInit();
            CheckRegArg(r, RegArg.DstNoMark);
        }
        MarkRegUnknown(ref Regs[0]);
    }
}
