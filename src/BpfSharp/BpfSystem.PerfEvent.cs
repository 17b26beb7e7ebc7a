using BpfSharp.Maps;
using BpfSharp.Uapi;

namespace BpfSharp;

// The perf events a PERF_EVENT_ARRAY holds: each a per-CPU sample ring behind an fd.
public sealed partial class BpfSystem
{
    /// <summary>
    /// Our <c>perf_event_open(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_BPF_OUTPUT, cpu)</c> with its mmap'ed ring: a
    /// <see cref="PerfEventBuffer"/> for <paramref name="cpu"/> of <paramref name="size"/> bytes, returned as an fd to store
    /// in a PERF_EVENT_ARRAY slot (MAP_UPDATE_ELEM) and to close when done. -EINVAL for a CPU that is not possible or a
    /// size that is not a power of 2 of at least 4096; -EMFILE when the fd table is full.
    /// </summary>
    public int PerfEventOpen(int cpu, uint size = 8 * 4096)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (cpu < 0 || cpu >= PossibleCpus || size < 4096 || (size & (size - 1)) != 0) return -Errno.EINVAL;
        return InstallObject(new PerfEventBuffer(cpu, size));
    }

    /// <summary>The perf event behind <paramref name="fd"/> with a reference taken, or null (not open, or not a perf event).</summary>
    internal PerfEventBuffer? GetPerfEvent(int fd)
    {
        if (_fds.Get(fd, out Memory.BpfObject? obj, out _) < 0) return null;
        if (obj is PerfEventBuffer buffer) return buffer;
        obj?.Release();
        return null;
    }
}
