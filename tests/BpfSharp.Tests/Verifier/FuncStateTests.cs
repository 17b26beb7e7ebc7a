using BpfSharp.Verifier;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// Stack slots, frames and path states: the kernel's slot indexing (spi = (-off - 1) / 8, byte = (-off - 1) % 8,
/// as the 6.18 log shows it: a u8 write at fp-22 prints fp-24=?????m??), grow_stack_state's rounding,
/// and deep copies.
/// </summary>
public class FuncStateTests
{
    [Theory]
    [InlineData(-1, 0, 0)]
    [InlineData(-4, 0, 3)]
    [InlineData(-8, 0, 7)]
    [InlineData(-9, 1, 0)]
    [InlineData(-22, 2, 5)]
    [InlineData(-512, 63, 7)]
    public void SlotAndByteOfAnOffset(int off, int spi, int index)
    {
        Assert.Equal(spi, StackSlot.Spi(off));
        Assert.Equal(index, StackSlot.ByteIndex(off));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 8)]
    [InlineData(4, 8)]
    [InlineData(8, 8)]
    [InlineData(22, 24)]
    [InlineData(512, 512)]
    public void GrowStackRoundsUpToSlots(int size, int allocated)
    {
        var f = new FuncState(0);
        f.GrowStack(size);
        Assert.Equal(allocated, f.AllocatedStack);
        f.GrowStack(Math.Min(size, 1));
        Assert.Equal(allocated, f.AllocatedStack); // never shrinks
        for (int i = 0; i < f.SlotCount; i++)
        {
            Assert.False(f.Slot(i).IsValid);
            Assert.Equal(RegType.NotInit, f.Slot(i).SpilledPtr.Type);
        }
    }

    [Fact]
    public void GrowStackRejectsMoreThan512Bytes() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new FuncState(0).GrowStack(513));

    [Fact]
    public void NarrowSpillMarksTheLowBytes()
    {
        StackSlot s = StackSlot.Invalid;
        s.SlotType[0] = StackSlotType.Zero;
        s.SlotType[1] = StackSlotType.Spill; // left over from an older spill
        s.SaveRegister(RegState.KnownScalar(0), 4);
        Assert.True(s.IsSpill);
        Assert.Equal(
            [StackSlotType.Zero, StackSlotType.Misc, StackSlotType.Invalid, StackSlotType.Invalid,
             StackSlotType.Spill, StackSlotType.Spill, StackSlotType.Spill, StackSlotType.Spill],
            ((ReadOnlySpan<StackSlotType>)s.SlotType).ToArray());
    }

    [Fact]
    public void NewFrameHasOnlyTheFramePointer()
    {
        var f = new FuncState(3, callsite: 7, subprogno: 2);
        for (int i = 0; i < 10; i++)
            Assert.Equal(RegType.NotInit, f.Regs[i].Type);
        Assert.Equal(RegState.StackPointer(3), f.Regs[10]);
        Assert.Equal((3, 7, 2, 0), (f.Frameno, f.Callsite, f.Subprogno, f.AllocatedStack));
    }

    [Fact]
    public void VerifierStateStartsWithContextAndFramePointer()
    {
        var s = new VerifierState();
        Assert.Equal(0, s.CurFrame);
        Assert.Equal(RegType.PtrToCtx, s.Regs[1].Type);
        Assert.Equal("0: R1=ctx() R10=fp0", "0:" + StatePrinter.VerifierStateText(s, 0, printAll: true));
    }

    [Fact]
    public void CloneIsDeep()
    {
        var s = new VerifierState { InsnIdx = 4 };
        s.Current.GrowStack(8);
        s.PushFrame(new FuncState(1, callsite: 4));
        s.References.Add(new VerifierStateReference(1, 2));
        VerifierState c = s.Clone();
        c.Frame(0).Regs[1].MarkNotInit();
        c.Frame(0).Slot(0).SlotType[0] = StackSlotType.Misc;
        c.Regs[0] = RegState.KnownScalar(1);
        c.References.Clear();
        c.PopFrame();
        Assert.Equal(1, s.CurFrame);
        Assert.Equal(0, c.CurFrame);
        Assert.Equal(4, c.InsnIdx);
        Assert.Equal(RegType.PtrToCtx, s.Frame(0).Regs[1].Type);
        Assert.Equal(StackSlotType.Invalid, s.Frame(0).Slot(0).SlotType[0]);
        Assert.Equal(RegType.NotInit, s.Regs[0].Type);
        Assert.Single(s.References);
    }

    [Fact]
    public void FramesPushInOrderUpToEight()
    {
        var s = new VerifierState();
        Assert.Throws<ArgumentException>(() => s.PushFrame(new FuncState(2)));
        for (int i = 1; i < VerifierState.MaxCallFrames; i++)
            s.PushFrame(new FuncState(i));
        Assert.Throws<InvalidOperationException>(() => s.PushFrame(new FuncState(8)));
        Assert.Throws<ArgumentOutOfRangeException>(() => s.Frame(8));
        for (int i = 1; i < VerifierState.MaxCallFrames; i++)
            s.PopFrame();
        Assert.Throws<InvalidOperationException>(() => s.PopFrame());
    }
}
