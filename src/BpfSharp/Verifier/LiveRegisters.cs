using System.Text;
using BpfSharp.Isa;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.Verifier;

/// <summary>
/// Which registers are live before each instruction (kernel: compute_live_registers), a backward data-flow
/// over the control-flow graph; the level-2 log prints it as <c>Live regs before insn:</c>.
/// </summary>
internal static class LiveRegisters
{
    /// <summary>Prints the table; an instruction inside a loop shows the loop's number (<paramref name="scc"/>) first.</summary>
    public static void Print(VerifierLog log, Instruction[] insns, DisassemblerOptions? options = null, int[]? scc = null)
    {
        options ??= DisassemblerOptions.Default with { ShowIndex = false };
        ushort[] live = Compute(insns);
        StringBuilder sb = log.Builder;
        sb.Append("Live regs before insn:\n");
        for (int i = 0; i < insns.Length; i++)
        {
            if (scc is not null && scc[i] != 0)
                sb.Append(scc[i].ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(3)).Append(' ')
                    .Append(i.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(3)).Append(": ");
            else
                sb.Append(i.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(7)).Append(": ");
            for (int r = 0; r < 10; r++)
                sb.Append((live[i] & (1 << r)) != 0 ? (char)('0' + r) : '.');
            sb.Append(' ');
            Disassembler.AppendTo(sb, insns, i, options);
            sb.Append('\n');
            if (insns[i].IsLdImm64) i++;
        }
    }

    /// <summary>The live-register mask (bit n for Rn) before each instruction.</summary>
    public static ushort[] Compute(Instruction[] insns)
    {
        int n = insns.Length;
        var use = new ushort[n];
        var def = new ushort[n];
        for (int i = 0; i < n; i++)
            UseDef(insns, i, out use[i], out def[i]);
        var liveIn = new ushort[n];
        bool changed = true;
        while (changed)
        {
            changed = false;
            for (int i = n - 1; i >= 0; i--)
            {
                ushort outMask = 0;
                foreach (int s in Successors(insns, i))
                    if ((uint)s < (uint)n) outMask |= liveIn[s];
                ushort inMask = (ushort)(use[i] | (outMask & ~def[i]));
                if (inMask != liveIn[i])
                {
                    liveIn[i] = inMask;
                    changed = true;
                }
            }
        }
        return liveIn;
    }

    private static IEnumerable<int> Successors(Instruction[] insns, int i)
    {
        Instruction insn = insns[i];
        byte cls = (byte)(insn.Opcode & 0x07);
        if (insn.IsLdImm64) { yield return i + 2; yield break; }
        if (cls is not (BPF_JMP or BPF_JMP32)) { yield return i + 1; yield break; }
        byte op = (byte)(insn.Opcode & 0xf0);
        if (op == BPF_EXIT) yield break;
        if (op == BPF_CALL) { yield return i + 1; yield break; }
        if (op == BPF_JA) { yield return i + 1 + (cls == BPF_JMP ? insn.Offset : insn.Imm); yield break; }
        yield return i + 1;
        yield return i + 1 + insn.Offset;
    }

    private static void UseDef(Instruction[] insns, int i, out ushort use, out ushort def)
    {
        Instruction insn = insns[i];
        ushort d = (ushort)(1 << insn.Dst), s = (ushort)(1 << insn.Src);
        const ushort callerSaved = 0x3f;
        byte cls = (byte)(insn.Opcode & 0x07), op = (byte)(insn.Opcode & 0xf0), mode = (byte)(insn.Opcode & 0xe0);
        bool x = (insn.Opcode & BPF_X) != 0;
        use = 0;
        def = 0;
        switch (cls)
        {
            case BPF_ALU or BPF_ALU64:
                def = d;
                use = op == BPF_MOV ? (x ? s : (ushort)0) : (ushort)(d | (x && op is not (BPF_END or BPF_NEG) ? s : 0));
                break;
            case BPF_LDX:
                use = s;
                def = d;
                break;
            case BPF_ST:
                use = d;
                break;
            case BPF_STX:
                use = (ushort)(d | s);
                if (mode == BPF_ATOMIC)
                {
                    if (insn.Imm == BPF_LOAD_ACQ) { use = s; def = d; }
                    else if (insn.Imm == BPF_CMPXCHG) { use |= 1; def = 1; }
                    else if ((insn.Imm & BPF_FETCH) != 0) def = s;
                }
                break;
            case BPF_LD:
                if (insn.IsLdImm64) { def = d; break; }
                // kernel 6.18: a legacy packet load keeps compute_insn_live_regs' defaults, every register used
                // and none defined (it may end the program, and it is rare enough not to matter)
                use = 0xffff;
                break;
            default: // jumps
                if (op == BPF_EXIT) { use = 1; break; }
                if (op == BPF_CALL)
                {
                    int args = insn.Src == BPF_PSEUDO_CALL ? 5
                        : HelperPrototypes.Get(insn.Imm) is { } p ? p.ArgCount : 5;
                    use = (ushort)(((1 << args) - 1) << 1);
                    def = callerSaved;
                    break;
                }
                if (op is BPF_JA or BPF_JCOND) break; // may_goto reads no register
                use = (ushort)(d | (x ? s : 0));
                break;
        }
    }
}
