using BpfSharp.Elf.Btf;
using BpfSharp.Uapi;

namespace BpfSharp.Verifier;

// kernel: check_btf_info (check_btf_func, check_btf_line's subprogram part, check_abnormal_return), subprog_name,
// subprog_is_global.
public sealed partial class BpfVerifier
{
    private SubprogAux[] _subprogAux = [];

    private bool HasFuncInfo => _opt.FuncInfo is { Count: > 0 };

    /// <summary>Run by the first pass once the subprograms are known, before the rest of it (kernel: check_btf_info).</summary>
    private CfgResult? CheckBtfInfo(SubprogInfo[] subprogs)
    {
        if (_log.Level2On)
        {
            for (int i = 0; i < subprogs.Length; i++)
                _log.Write(Inv($"func#{i} @{subprogs[i].Start}\n"));
        }
        _subprogAux = new SubprogAux[subprogs.Length];
        IReadOnlyList<VerifierFuncInfo>? funcs = _opt.FuncInfo;
        if (funcs is null || funcs.Count == 0)
        {
            for (int i = 0; i < subprogs.Length; i++)
                _subprogAux[i] = new SubprogAux();
            // kernel: check_abnormal_return: without BTF nothing says what a subprogram returns
            for (int i = 1; i < subprogs.Length; i++)
            {
                if (subprogs[i].HasLdAbs)
                    return CfgResult.Fail(Errno.EINVAL, "LD_ABS is not allowed in subprogs without BTF");
                if (subprogs[i].HasTailCall)
                    return CfgResult.Fail(Errno.EINVAL, "tail_call is not allowed in subprogs without BTF");
            }
        }
        else
        {
            if (funcs.Count != subprogs.Length)
                return CfgResult.Fail(Errno.EINVAL, "number of funcs in func_info doesn't match number of subprogs");
            BtfBlob btf = _opt.Btf!;
            for (int i = 0; i < subprogs.Length; i++)
            {
                if (subprogs[i].Start != funcs[i].Instruction)
                    return CfgResult.Fail(Errno.EINVAL, "func_info BTF section doesn't match subprog layout in BPF program");
                BtfType func = btf.GetType(funcs[i].TypeId);
                BtfType ret = btf.GetType(btf.SkipModifiers(btf.GetType(func.Type).Type));
                bool scalarReturn = (ret.Kind == BtfKind.Int && ret.Size <= 8) || ret.Kind is BtfKind.Enum or BtfKind.Enum64;
                if (i > 0 && !scalarReturn && subprogs[i].HasLdAbs)
                    return CfgResult.Fail(Errno.EINVAL, "LD_ABS is only allowed in functions that return 'int'.");
                if (i > 0 && !scalarReturn && subprogs[i].HasTailCall)
                    return CfgResult.Fail(Errno.EINVAL, "tail_call is only allowed in functions that return 'int'.");
                _subprogAux[i] = new SubprogAux { TypeId = funcs[i].TypeId, Linkage = func.Vlen, Name = func.Name };
            }
        }
        return CheckLineInfoCoversSubprogs(subprogs);
    }

    // kernel: check_btf_line: every subprogram starts with a line_info record
    private CfgResult? CheckLineInfoCoversSubprogs(SubprogInfo[] subprogs)
    {
        if (_opt.LineInfo is not { Count: > 0 } lines)
            return null;
        int s = 0;
        foreach (VerifierLineInfo line in lines)
        {
            if (s == subprogs.Length)
                break;
            if (line.Instruction == subprogs[s].Start)
                s++;
            else if (subprogs[s].Start < line.Instruction)
                return CfgResult.Fail(Errno.EINVAL, Inv($"missing bpf_line_info for func#{s}"));
        }
        if (s != subprogs.Length)
            return CfgResult.Fail(Errno.EINVAL, Inv($"missing bpf_line_info for {subprogs.Length - s} funcs starting from func#{s}"));
        return null;
    }

    // kernel: subprog_is_global
    private bool SubprogIsGlobal(int subprog) => HasFuncInfo && _subprogAux[subprog].Linkage == SubprogAux.Global;

    // kernel: subprog_name
    private string SubprogName(int subprog) => _subprogAux[subprog].Name;
}
