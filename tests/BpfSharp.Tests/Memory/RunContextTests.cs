using BpfSharp.Memory;
using BpfSharp.Runtime;

namespace BpfSharp.Tests.Memory;

/// <summary>The regions a run may touch, as helpers ask about them.</summary>
public class RunContextTests
{
    [Fact]
    public void Accessibility_follows_regions_packet_and_writability()
    {
        var run = new RunContext();
        run.AddRegion(new MemoryRegion(0x1000, 16, writable: true, "mem"));
        run.AddRegion(new MemoryRegion(0x3000, 16, writable: false, "ro"));
        run.Packet = new MemoryRegion(0x5000, 8, writable: false, "packet");
        Assert.True(run.IsAccessible(0x1000, 16, AccessKind.Store));
        Assert.False(run.IsAccessible(0x1000, 17, AccessKind.Load));
        Assert.True(run.IsAccessible(0x3000, 16, AccessKind.Load));
        Assert.False(run.IsAccessible(0x3000, 1, AccessKind.Store));
        Assert.False(run.IsAccessible(0x3000, 1, AccessKind.Atomic));
        Assert.True(run.IsAccessible(0x5004, 4, AccessKind.Load));
        Assert.False(run.IsAccessible(0x5004, 4, AccessKind.Store));
        Assert.True(run.IsAccessible(0, 0, AccessKind.Store));
        Assert.False(run.IsRunning);
        Assert.Equal(0, run.ActiveStack.Length);
    }

    [Fact]
    public void Regions_grow_and_reset()
    {
        var run = new RunContext { R1 = 1, R5 = 5, State = "s" };
        for (int k = 0; k < 10; k++)
            run.AddRegion(new MemoryRegion(0x1000 * (k + 1), 8, true, $"r{k}"));
        Assert.Equal(10, run.Regions.Length);
        Assert.Equal("r9", run.Regions[9].Name);
        run.Reset();
        Assert.Equal(0, run.Regions.Length);
        Assert.Null(run.Packet);
        Assert.Null(run.State);
        Assert.Equal(0ul, run.R1 | run.R5);
    }

    [Fact]
    public void CheckAccess_outside_a_checked_run_does_nothing()
    {
        var run = new RunContext();
        run.CheckAccess(0xdead, 8, AccessKind.Store);
    }
}
