using BpfSharp.Runtime;

namespace BpfSharp.Tests.Runtime;

/// <summary>The helper registry: ids, names, duplicates, the conformance helpers.</summary>
public class HelperRegistryTests
{
    private static ulong Zero(RunContext run, ulong a, ulong b, ulong c, ulong d, ulong e) => 0;

    [Fact]
    public void Registers_and_finds_by_id()
    {
        var registry = new HelperRegistry().Register(12, "ktime_get_ns", Zero).Register(1, "map_lookup_elem", Zero);
        Assert.Equal(2, registry.Count);
        Assert.True(registry.TryGet(12, out var helper));
        Assert.Equal("ktime_get_ns", helper.Name);
        Assert.Equal("ktime_get_ns#12", helper.ToString());
        Assert.Equal([1, 12], registry.Helpers.Select(h => h.Id));
        Assert.False(registry.Contains(2));
    }

    [Fact]
    public void Keeps_each_helpers_flags_none_by_default()
    {
        var registry = new HelperRegistry().Register(1, "a", Zero).Register(2, "b", Zero, HelperFlags.Pure);
        Assert.True(registry.TryGet(1, out var a));
        Assert.True(registry.TryGet(2, out var b));
        Assert.Equal(HelperFlags.None, a.Flags);
        Assert.Equal(HelperFlags.Pure, b.Flags);
    }

    [Fact]
    public void Rejects_duplicates_and_bad_ids()
    {
        var registry = new HelperRegistry().Register(1, "a", Zero);
        Assert.Throws<ArgumentException>(() => registry.Register(1, "b", Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => registry.Register(-1, "c", Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => registry.Register(HelperRegistry.MaxHelperId + 1, "d", Zero));
    }

    [Fact]
    public void Conformance_helpers_include_unwind_as_id_5()
    {
        var registry = HelperRegistry.ForConformance();
        Assert.True(registry.TryGet(5, out var unwind));
        Assert.Equal("unwind", unwind.Name);
    }
}
