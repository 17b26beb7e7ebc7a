using BpfSharp.Isa;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.Verifier;

/// <summary>
/// The verifier's first pass, as the kernel runs it before the path walk: the BPF_PROG_LOAD size
/// limit, <c>add_subprog_and_kfunc</c> (subprogram starts from pseudo calls and callback addresses),
/// <c>check_subprogs</c> (jumps stay inside their subprogram, no fall-through out of one), the
/// instruction checks of <c>resolve_pseudo_ldimm64</c> (LDX fields, lddw shape and kind, the kernel's opcode table), and <c>check_cfg</c> (depth-first search:
/// jump targets in range, no back-edge unless bpf_capable, every instruction reachable, no jump
/// into the middle of an lddw). Faults carry the kernel's errno and log line.
/// </summary>
public static partial class Cfg
{
    /// <summary>BPF_MAXINSNS: the most instructions an unprivileged loader may load.</summary>
    public const int MaxInsns = 4096;

    /// <summary>BPF_COMPLEXITY_LIMIT_INSNS: the most instructions a bpf_capable loader may load (and the walk's budget).</summary>
    public const int ComplexityLimitInsns = 1_000_000;

    /// <summary>BPF_MAX_SUBPROGS: the most subprograms, the main program included.</summary>
    public const int MaxSubprogs = 256;

    /// <summary>
    /// Runs the first pass over already-decoded instruction slots (opcodes are not validated here;
    /// that is the decoder's and the walk's job). Never throws for a malformed program.
    /// </summary>
    public static CfgResult Check(ReadOnlySpan<Instruction> program, CfgOptions options) => Run(program, options, null);

    /// <summary>
    /// <see cref="Check"/> with <paramref name="afterSubprogs"/> run once the
    /// subprograms are known and before the rest of the pass, as the kernel runs check_btf_info between check_subprogs
    /// and check_cfg; a fault it returns ends the pass.
    /// </summary>
    internal static CfgResult Run(ReadOnlySpan<Instruction> program, CfgOptions options,
        Func<SubprogInfo[], CfgResult?>? afterSubprogs)
    {
        // bpf_prog_load(): an empty or oversized program is E2BIG before the verifier logs anything.
        if (program.Length == 0 || program.Length > options.InsnLimit)
            return CfgResult.Fail(Errno.E2BIG, "");

        var starts = new List<int>();
        CfgResult? fault = Subprogs.Add(program, options, starts);
        if (fault is not null) return fault.WithSubprogCount(starts.Count);
        var subprogs = new SubprogInfo[starts.Count];
        fault = Subprogs.Check(program, starts, subprogs);
        fault ??= afterSubprogs?.Invoke(subprogs);
        fault ??= ResolvePseudoLdImm64Checks(program);
        var flags = new CfgInsnFlags[program.Length];
        fault ??= Walk(program, options, flags);
        if (fault is not null) return fault.WithSubprogCount(starts.Count);

        var subprogOf = new int[program.Length];
        for (int s = 0; s < subprogs.Length; s++)
            subprogOf.AsSpan(subprogs[s].Start, subprogs[s].Length).Fill(s);
        return CfgResult.Ok(subprogs, flags, subprogOf);
    }

    // resolve_pseudo_ldimm64(): its checks of each instruction, in program order. An LDX must be MEM or MEMSX with
    // imm 0; an lddw must be followed by a second slot whose code, registers and offset are zero, and name a pseudo
    // kind the kernel knows (a map fd or index with a zero second imm, a map value, a BTF id, a function); any other
    // opcode must be in the kernel's table. Resolving map fds and BTF ids (the rest of that kernel function)
    // happens at load time.
    private static CfgResult? ResolvePseudoLdImm64Checks(ReadOnlySpan<Instruction> program)
    {
        for (int i = 0; i < program.Length; i++)
        {
            ref readonly Instruction insn = ref program[i];
            byte mode = (byte)(insn.Opcode & 0xe0);
            if (insn.Class == BPF_LDX && ((mode != BPF_MEM && mode != BPF_MEMSX) || insn.Imm != 0))
                return CfgResult.Fail(Errno.EINVAL, "BPF_LDX uses reserved fields");
            if (insn.IsLdImm64)
            {
                if (i == program.Length - 1 || program[i + 1].Opcode != 0 || program[i + 1].Dst != 0
                    || program[i + 1].Src != 0 || program[i + 1].Offset != 0)
                    return CfgResult.Fail(Errno.EINVAL, "invalid bpf_ld_imm64 insn");
                if (!IsRecognizedLdImm64(insn, program[i + 1]))
                    return CfgResult.Fail(Errno.EINVAL, "unrecognized bpf_ld_imm64 insn");
                i++;
                continue;
            }
            if (!InsnTable.Contains(insn.Opcode))
                return CfgResult.Fail(Errno.EINVAL, "unknown opcode " + insn.Opcode.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return null;
    }

    /// <summary>
    /// resolve_pseudo_ldimm64: an lddw whose pseudo kind the kernel knows: a plain constant, a BTF id, a function, a
    /// map value, or a map fd or index whose second imm is zero. Any other is "unrecognized bpf_ld_imm64 insn".
    /// </summary>
    internal static bool IsRecognizedLdImm64(in Instruction insn, in Instruction next) => insn.Src switch
    {
        0 or BPF_PSEUDO_BTF_ID or BPF_PSEUDO_FUNC or BPF_PSEUDO_MAP_VALUE or BPF_PSEUDO_MAP_IDX_VALUE => true,
        BPF_PSEUDO_MAP_FD or BPF_PSEUDO_MAP_IDX => next.Imm == 0,
        _ => false,
    };
}
