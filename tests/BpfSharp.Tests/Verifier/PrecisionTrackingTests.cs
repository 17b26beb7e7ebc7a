using System.Text;
using BpfSharp.Verifier;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// The parts of precision tracking with a fixed format: the masks as the log writes them (kernel: fmt_reg_mask,
/// fmt_stack_mask, whose comments give these examples) and the 64-bit packing of a linked-register set in the jump
/// history (kernel: linked_regs_pack: 4 bits of count, then 10 bits an entry, 3 of frame, 6 of register or slot,
/// 1 for a register, the first entry in the highest bits).
/// </summary>
public class PrecisionTrackingTests
{
    [Theory]
    [InlineData(0x15u, "r0,r2,r4")]
    [InlineData(0u, "")]
    [InlineData(0x240u, "r6,r9")]
    public void Register_masks_print_as_the_kernel_prints_them(uint mask, string text)
    {
        var sb = new StringBuilder();
        BacktrackState.AppendRegMask(sb, mask);
        Assert.Equal(text, sb.ToString());
    }

    [Theory]
    [InlineData(0x15UL, "-8,-24,-40")]
    [InlineData(0UL, "")]
    [InlineData(1UL << 63, "-512")]
    public void Stack_masks_print_as_the_kernel_prints_them(ulong mask, string text)
    {
        var sb = new StringBuilder();
        BacktrackState.AppendStackMask(sb, mask);
        Assert.Equal(text, sb.ToString());
    }

    [Fact]
    public void A_linked_set_packs_as_the_kernels_and_unpacks_last_entry_first()
    {
        var set = new LinkedRegs();
        Assert.True(set.TryPush(new LinkedRegs.Entry(0, 6, IsReg: true)));   // 0 | 6 << 3 | 1 << 9 = 560
        Assert.True(set.TryPush(new LinkedRegs.Entry(1, 3, IsReg: false)));  // 1 | 3 << 3 = 25
        ulong packed = set.Pack();
        Assert.Equal((((560UL << 10) | 25) << 4) | 2, packed);
        LinkedRegs back = LinkedRegs.Unpack(packed);
        Assert.Equal(2, back.Count);
        Assert.Equal(new LinkedRegs.Entry(1, 3, false), back[0]);
        Assert.Equal(new LinkedRegs.Entry(0, 6, true), back[1]);
    }

    [Fact]
    public void A_linked_set_holds_at_most_six()
    {
        var set = new LinkedRegs();
        for (int i = 0; i < LinkedRegs.Max; i++)
            Assert.True(set.TryPush(new LinkedRegs.Entry(0, i, true)));
        Assert.False(set.TryPush(new LinkedRegs.Entry(0, 7, true)));
        Assert.Equal(6, LinkedRegs.Unpack(set.Pack()).Count);
    }
}
