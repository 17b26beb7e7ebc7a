using System.Text.RegularExpressions;

namespace BpfSharp.Syscall;

/// <summary>
/// The kernel's wording for a program the decoder refused: <see cref="Isa.InstructionDecoder"/> explains a fault
/// in detail (<c>insn 1: BPF_END uses reserved fields: imm=8 (must be 16, 32 or 64)</c>); PROG_LOAD logs the
/// line the kernel's verifier prints for it (<c>BPF_END uses reserved fields</c>).
/// </summary>
internal static partial class DecodeMessages
{
    public static string KernelText(string message)
    {
        string m = InsnPrefix().Replace(message, "", 1);
        Match op = UnknownOpcode().Match(m);
        if (op.Success) return "unknown opcode " + op.Groups[1].Value;
        Match reg = InvalidRegister().Match(m);
        if (reg.Success) return $"R{reg.Groups[1].Value} is invalid";
        if (m.StartsWith("call to subprogram out of range", StringComparison.Ordinal)) return "call to invalid destination";
        if (m.StartsWith("invalid bpf_ld_imm64 insn", StringComparison.Ordinal)) return "invalid bpf_ld_imm64 insn";
        if (m.StartsWith("invalid may_goto imm", StringComparison.Ordinal)) return m[..m.IndexOf(" (", StringComparison.Ordinal)];
        int reserved = m.IndexOf("uses reserved fields", StringComparison.Ordinal);
        if (reserved >= 0) return m[..(reserved + "uses reserved fields".Length)];
        return m;
    }

    [GeneratedRegex(@"^insn -?\d+: ")]
    private static partial Regex InsnPrefix();

    [GeneratedRegex(@"^unknown opcode 0x([0-9a-f]{2})")]
    private static partial Regex UnknownOpcode();

    [GeneratedRegex(@"^invalid register r(\d+)")]
    private static partial Regex InvalidRegister();
}
