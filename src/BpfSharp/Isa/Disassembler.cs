using System.Globalization;
using System.Text;

namespace BpfSharp.Isa;

/// <summary>
/// Prints instructions exactly as the kernel's verifier log and <c>bpftool prog dump xlated</c> do
/// (kernel: <c>print_bpf_insn</c> in kernel/bpf/disasm.c): <c>0: (bf) r0 = r2</c>,
/// <c>(61) r0 = *(u32 *)(r1 +8)</c>, <c>(25) if r1 &gt; 0x5 goto pc+3</c>, <c>(85) call bpf_map_lookup_elem#1</c>.
/// </summary>
/// <remarks>
/// <para>Where the kernel prints through a callback, the default text is BpfSharp's choice
/// (override it with <see cref="DisassemblerOptions"/>); every choice reads back with <see cref="Assembler"/>:</para>
/// <list type="bullet">
/// <item>64-bit immediates: <c>r1 = 0x123456789</c> as the kernel prints them (no <c>ll</c> suffix);
/// pseudo loads, whose value the kernel replaces by a pointer before printing, after bpftool's
/// <c>map[id:N]</c> shapes but naming what the program holds before loading:
/// <c>map[fd:3]</c>, <c>map[fd:3][0]+16</c> (map value), <c>map[idx:3]</c>, <c>map[idx:3][0]+16</c>
/// (fd_array index), <c>btf_id[42]</c> (kernel variable) and bpftool's <c>subprog[+5]</c> (callback address).</item>
/// <item>kfunc calls: the kernel's <c>call kernel-function#42</c>; a kfunc in module BTF
/// (offset = fd_array index 2) prints as <c>call kernel-function[idx:2]#42</c>.</item>
/// <item><c>may_goto pc+2</c> (kernel 6.9, outside RFC 9669) as the kernel prints it.</item>
/// <item><c>callx</c>, which the kernel has no text for, prints as LLVM does: <c>callx r2</c>.</item>
/// <item>Kernel instructions outside RFC 9669 that BpfSharp rejects print in the kernel's text
/// (<c>gotox r1</c>, <c>load_acquire</c>, <c>store_release</c>, <c>addr_space_cast</c>);
/// any other encoding prints as <c>invalid opcode 0xNN</c> (or <c>invalid atomic op 0xNN</c>,
/// <c>invalid bpf_ld_imm64 insn</c>). Reserved fields are ignored, as the kernel ignores them.</item>
/// </list>
/// <para>Never throws for any instruction content.</para>
/// </remarks>
public static partial class Disassembler
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// Prints the instruction at <paramref name="pc"/> (both slots of an lddw) as one line without a
    /// line break: <c>0: (bf) r0 = r2</c> with <see cref="DisassemblerOptions.Default"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pc"/> is not an index of <paramref name="program"/>.</exception>
    public static string Format(ReadOnlySpan<Instruction> program, int pc, DisassemblerOptions? options = null)
    {
        var sb = new StringBuilder(48);
        AppendTo(sb, program, pc, options);
        return sb.ToString();
    }

    /// <summary>Appends what <see cref="Format"/> returns to <paramref name="sb"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pc"/> is not an index of <paramref name="program"/>.</exception>
    public static void AppendTo(StringBuilder sb, ReadOnlySpan<Instruction> program, int pc, DisassemblerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentOutOfRangeException.ThrowIfNegative(pc);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(pc, program.Length);
        options ??= DisassemblerOptions.Default;
        Instruction insn = program[pc];
        if (options.ShowIndex)
            sb.Append(Inv, $"{pc}: ");
        if (options.ShowOpcode)
            sb.Append(Inv, $"({insn.Opcode:x2}) ");
        AppendText(sb, program, pc, options);
    }

    /// <summary>
    /// Prints a whole program, one line per instruction (an lddw is one line; the next line's index
    /// skips its second slot), as the verifier log and bpftool list it.
    /// </summary>
    public static string[] Disassemble(ReadOnlySpan<Instruction> program, DisassemblerOptions? options = null)
    {
        var lines = new List<string>(program.Length);
        var sb = new StringBuilder(48);
        for (int pc = 0; pc < program.Length; pc += SlotCount(program, pc))
        {
            sb.Clear();
            AppendTo(sb, program, pc, options);
            lines.Add(sb.ToString());
        }
        return lines.ToArray();
    }

    /// <summary>Slots the instruction at <paramref name="pc"/> occupies: 2 for an lddw with its second half, else 1.</summary>
    internal static int SlotCount(ReadOnlySpan<Instruction> program, int pc) =>
        program[pc].IsLdImm64 && pc + 1 < program.Length ? 2 : 1;
}
