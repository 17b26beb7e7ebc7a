namespace BpfSharp.Isa;

/// <summary>
/// One element of a program built with <see cref="Asm"/>: an instruction (one slot, or two for lddw),
/// a label definition, or a jump/call whose target is a label resolved by <see cref="Asm.Program"/>.
/// </summary>
public readonly struct AsmItem
{
    internal readonly Instruction First;
    internal readonly Instruction Second;
    internal readonly byte Slots;
    internal readonly string? Label;
    internal readonly string? Target;

    internal AsmItem(Instruction first, Instruction second, byte slots, string? label, string? target)
    {
        First = first;
        Second = second;
        Slots = slots;
        Label = label;
        Target = target;
    }

    /// <summary>A one-slot instruction.</summary>
    public static implicit operator AsmItem(Instruction insn) => new(insn, default, 1, null, null);

    internal static AsmItem Wide(Instruction first, Instruction second) => new(first, second, 2, null, null);
    internal static AsmItem LabelDef(string name) => new(default, default, 0, name, null);
    internal static AsmItem Jump(Instruction insn, string target) => new(insn, default, 1, null, target);
}
