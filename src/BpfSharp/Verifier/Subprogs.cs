using BpfSharp.Isa;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.Verifier;

/// <summary>
/// Subprogram discovery and boundaries: the kernel's <c>add_subprog_and_kfunc</c>,
/// <c>add_subprog</c> and <c>check_subprogs</c>.
/// </summary>
internal static class Subprogs
{
    private const int BPF_FUNC_tail_call = 12;
    private const byte BPF_ABS = 0x20;
    private const byte BPF_IND = 0x40;

    /// <summary>add_subprog_and_kfunc(): the entry at 0, then every pseudo call and callback target, sorted.</summary>
    public static CfgResult? Add(ReadOnlySpan<Instruction> program, CfgOptions options, List<int> starts)
    {
        starts.Add(0);
        for (int i = 0; i < program.Length; i++)
        {
            ref readonly Instruction insn = ref program[i];
            bool pseudoFunc = insn.IsLdImm64 && insn.Src == BPF_PSEUDO_FUNC;
            bool pseudoCall = insn.Opcode == CALL && insn.Src == BPF_PSEUDO_CALL;
            bool kfuncCall = insn.Opcode == CALL && insn.Src == BPF_PSEUDO_KFUNC_CALL;
            if (!pseudoFunc && !pseudoCall && !kfuncCall) continue;
            if (!options.BpfCapable)
                return CfgResult.Fail(Errno.EPERM,
                    "loading/calling other bpf or kernel functions are allowed for CAP_BPF and CAP_SYS_ADMIN");
            if (kfuncCall) continue; // add_kfunc_call() needs kernel BTF: resolved at load time, not here
            CfgResult? fault = AddSubprog(starts, unchecked(i + insn.Imm + 1), program.Length);
            if (fault is not null) return fault;
        }
        return null;
    }

    // add_subprog(): a start must be an instruction; duplicates are one subprogram.
    private static CfgResult? AddSubprog(List<int> starts, int off, int insnCount)
    {
        if (off >= insnCount || off < 0)
            return CfgResult.Fail(Errno.EINVAL, "call to invalid destination");
        int at = starts.BinarySearch(off);
        if (at >= 0) return null;
        if (starts.Count >= Cfg.MaxSubprogs)
            return CfgResult.Fail(Errno.E2BIG, "too many subprograms");
        starts.Insert(~at, off);
        return null;
    }

    /// <summary>check_subprogs(): every jump stays inside its subprogram, and each subprogram ends in exit or ja.</summary>
    public static CfgResult? Check(ReadOnlySpan<Instruction> program, List<int> starts, Span<SubprogInfo> subprogs)
    {
        int cur = 0;
        int start = starts[0];
        int end = starts.Count > 1 ? starts[1] : program.Length;
        bool hasTailCall = false, hasLdAbs = false;
        for (int i = 0; i < program.Length; i++)
        {
            ref readonly Instruction insn = ref program[i];
            byte code = insn.Opcode;
            byte cls = insn.Class;
            if (code == CALL && insn.Src == 0 && insn.Imm == BPF_FUNC_tail_call)
                hasTailCall = true;
            if (cls == BPF_LD && ((code & 0xe0) == BPF_ABS || (code & 0xe0) == BPF_IND))
                hasLdAbs = true;
            byte op = (byte)(code & 0xf0);
            if ((cls == BPF_JMP || cls == BPF_JMP32) && op != BPF_EXIT && op != BPF_CALL)
            {
                int off = code == JA32 ? unchecked(i + insn.Imm + 1) : i + insn.Offset + 1;
                if (off < start || off >= end)
                    return CfgResult.Fail(Errno.EINVAL, $"jump out of range from insn {i} to {off}");
            }
            if (i == end - 1)
            {
                // No fall-through from one subprogram into the next.
                if (code != EXIT && code != JA32 && code != JA)
                    return CfgResult.Fail(Errno.EINVAL, "last insn is not an exit or jmp");
                subprogs[cur] = new SubprogInfo(start, end, hasTailCall, hasLdAbs);
                hasTailCall = hasLdAbs = false;
                start = end;
                cur++;
                if (cur < starts.Count)
                    end = cur + 1 < starts.Count ? starts[cur + 1] : program.Length;
            }
        }
        return null;
    }
}
