using System.Runtime.CompilerServices;

namespace BpfSharp.Verifier;

/// <summary>
/// The eight per-byte kinds of one stack slot (kernel: slot_type[BPF_REG_SIZE]). Index <c>k</c> describes the
/// byte at <c>fp - (spi * 8 + k + 1)</c>: index 0 is the slot's highest address, index 7 its lowest.
/// </summary>
[InlineArray(StackSlot.Size)]
public struct StackSlotTypes
{
    private StackSlotType _element0;
}
