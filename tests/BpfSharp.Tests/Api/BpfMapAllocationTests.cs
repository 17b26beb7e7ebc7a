using BpfSharp.Tests.Support;
using BpfSharp.Uapi;
using static BpfSharp.Tests.Api.ApiKit;

namespace BpfSharp.Tests.Api;

/// <summary>
/// The typed operations allocate nothing on the managed heap in steady state: keys and values stay
/// in place, the attr is on the stack, and the facade underneath copies onto the stack too. Measured
/// with GC.GetAllocatedBytesForCurrentThread around many operations after a warm-up (the least of
/// a few attempts: see <see cref="Allocations"/>).
/// </summary>
public class BpfMapAllocationTests
{
    private const int Operations = 2000;
    private const int WarmUp = 20_000;

    public static TheoryData<string, BpfMapType, Action<BpfMap<int, long>, int>> Operations_ => new()
    {
        { "indexer set", BpfMapType.Hash, (m, i) => m[i & 63] = i },
        { "TryGetValue", BpfMapType.Hash, (m, i) => m.TryGetValue(i & 63, out _) },
        { "TryAdd + Remove", BpfMapType.Hash, (m, i) => { m.TryAdd(100 + (i & 7), i); m.Remove(100 + (i & 7)); } },
        { "ContainsKey", BpfMapType.Hash, (m, i) => m.ContainsKey(i & 127) },
        { "TryGetNextKey", BpfMapType.Hash, (m, i) => m.TryGetNextKey(i & 63, out _) },
        { "enumerate keys", BpfMapType.Hash, (m, i) => { foreach (int k in m.Keys) { } } },
        { "enumerate entries", BpfMapType.Hash, (m, i) => { foreach (KeyValuePair<int, long> e in m) { } } },
        { "array indexer", BpfMapType.Array, (m, i) => m[i & 63] = m[(i + 1) & 63] + 1 },
        { "per-CPU TryGetValues", BpfMapType.PercpuHash, (m, i) => m.TryGetValues(i & 63, stackalloc long[2]) },
        { "per-CPU UpdateValues", BpfMapType.PercpuHash, (m, i) => m.UpdateValues(i & 63, stackalloc long[2]) },
        { "batch update", BpfMapType.Hash, (m, i) =>
            {
                Span<int> keys = stackalloc int[3];
                Span<long> values = stackalloc long[3];
                for (int k = 0; k < 3; k++) (keys[k], values[k]) = (k, i);
                m.UpdateBatch(keys, values);
            } },
        { "batch lookup", BpfMapType.Hash, (m, i) =>
            {
                var cursor = default(BpfMapBatchCursor<int>);
                m.LookupBatch(ref cursor, stackalloc int[16], stackalloc long[16]);
            } },
    };

    [Theory]
    [MemberData(nameof(Operations_))]
    public void Steady_state_operations_do_not_allocate(string name, BpfMapType type, Action<BpfMap<int, long>, int> operation)
    {
        using BpfSystem system = NewSystem(cpus: 2);
        using var map = BpfMap<int, long>.Create(system, type, 128);
        for (int k = 0; k < 64; k++)
        {
            if (map.IsPerCpu) map.UpdateValues(k, [k, k]);
            else map[k] = k;
        }
        for (int i = 0; i < WarmUp; i++) operation(map, i); // warm-up: JIT, tiering, pools

        long allocated = Allocations.Least(() =>
        {
            for (int i = 0; i < Operations; i++) operation(map, i);
        });
        Assert.True(allocated == 0, $"{name}: {allocated} bytes over {Operations} operations");
    }
}
