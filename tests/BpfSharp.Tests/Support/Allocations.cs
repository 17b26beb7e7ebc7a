namespace BpfSharp.Tests.Support;

/// <summary>
/// Managed-heap bytes a piece of code allocates on the current thread. A garbage collection started
/// by another thread (the suite runs tests in parallel) can charge part of this thread's unused
/// allocation quantum to it, so one measurement may show a few kilobytes that no code allocated.
/// The least over a few attempts is what the code itself allocates: code that really allocates
/// does so on every attempt.
/// </summary>
internal static class Allocations
{
    /// <summary>The fewest bytes <paramref name="body"/> allocated over up to <paramref name="attempts"/> runs (stops at 0).</summary>
    public static long Least(Action body, int attempts = 5)
    {
        long least = long.MaxValue;
        for (int a = 0; a < attempts && least != 0; a++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            body();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return least;
    }
}
