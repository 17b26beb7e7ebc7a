namespace BpfSharp.Runtime;

// Region bookkeeping the command layer uses to add a program's direct-value regions for one run.
public sealed partial class RunContext
{
    /// <summary>Number of regions registered with <see cref="AddRegion"/>.</summary>
    internal int RegionCount => _regionCount;

    /// <summary>Forgets the regions added after the first <paramref name="count"/>.</summary>
    internal void TruncateRegions(int count)
    {
        if (count >= _regionCount) return;
        Array.Clear(_regions, count, _regionCount - count);
        _regionCount = count;
    }
}
