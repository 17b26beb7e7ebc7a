using BpfSharp.Uapi;

namespace BpfSharp.Isa;

/// <summary>
/// How <see cref="Disassembler"/> prints: which columns, and the name resolvers the kernel's
/// printer takes as callbacks (kernel: <c>struct bpf_insn_cbs</c> — <c>cb_call</c>, <c>cb_imm</c>).
/// Immutable; share freely between threads.
/// </summary>
public sealed record DisassemblerOptions
{
    /// <summary>The verifier-log line: <c>0: (bf) r0 = r2</c>.</summary>
    public static DisassemblerOptions Default { get; } = new();

    /// <summary>The instruction text alone: <c>r0 = r2</c>.</summary>
    public static DisassemblerOptions TextOnly { get; } = new() { ShowIndex = false, ShowOpcode = false };

    /// <summary>Print the instruction index and a colon first (<c>0: </c>), as the verifier log does.</summary>
    public bool ShowIndex { get; init; } = true;

    /// <summary>Print the opcode byte in parentheses (<c>(bf) </c>), as the kernel's printer does.</summary>
    public bool ShowOpcode { get; init; } = true;

    /// <summary>
    /// Names a helper by id for <c>call name#id</c>; null means the id is unknown and prints as
    /// <c>unknown</c>. Default: the kernel's table, <see cref="HelperNames.Get"/>.
    /// </summary>
    public Func<int, string?> HelperName { get; init; } = HelperNames.Get;

    /// <summary>
    /// Kernel <c>cb_call</c>: names the target of a call that <see cref="HelperName"/> did not name
    /// (a kfunc, a bpf-to-bpf call, an unknown helper), or returns null for the default text
    /// (<c>kernel-function</c>, the pc-relative <c>+N</c>, <c>unknown</c>).
    /// </summary>
    public Func<Instruction, string?>? CallName { get; init; }

    /// <summary>
    /// Kernel <c>cb_imm</c>: the text of a 64-bit immediate load's value, given both slots, or null
    /// for the default text (<c>0x...</c> for plain loads, <c>map[fd:N]</c> and the other pseudo
    /// forms described on <see cref="Disassembler"/>).
    /// </summary>
    public Func<Instruction, Instruction, string?>? Imm64Text { get; init; }
}
