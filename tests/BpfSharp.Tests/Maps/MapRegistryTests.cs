using BpfSharp.Maps;
using BpfSharp.Memory;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Maps;

/// <summary>The handle table helpers use to find the map a program passed.</summary>
public class MapRegistryTests
{
    private static Map NewArray(MapContext context)
    {
        var attributes = new MapAttributes { Type = BpfMapType.Array, KeySize = 4, ValueSize = 8, MaxEntries = 1 };
        Assert.Equal(0, MapFactory.Create(attributes, context, out Map? map));
        return map!;
    }

    [Fact]
    public void ResolvesEveryRegisteredHandleAndNothingElse()
    {
        using var epochs = new EpochManager();
        var context = new MapContext(epochs, 1);
        var registry = new MapRegistry();
        var maps = new List<Map>();
        for (int i = 0; i < 100; i++)
        {
            Map map = NewArray(context);
            registry.Add(map);
            maps.Add(map);
        }
        Assert.Equal(100, registry.Count);
        foreach (Map map in maps)
            Assert.Same(map, registry.Resolve((ulong)map.Handle));

        for (int i = 0; i < maps.Count; i += 2)
            registry.Remove(maps[i]);
        for (int i = 0; i < maps.Count; i++)
            Assert.Equal(i % 2 == 0 ? null : maps[i], registry.Resolve((ulong)maps[i].Handle));

        // Values a program could forge: never a map, never a dereference.
        var registered = maps.Select(m => (ulong)m.Handle).ToHashSet();
        foreach (ulong forged in new ulong[] { 0, 1, 16, ulong.MaxValue, (ulong)maps[1].Handle + 16, (ulong)maps[1].Handle - 8 })
        {
            if (!registered.Contains(forged))
                Assert.Null(registry.Resolve(forged));
        }

        foreach (Map map in maps) map.Release();
    }
}
