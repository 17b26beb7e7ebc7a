using BpfSharp.Memory;

namespace BpfSharp.Runtime.Helpers;

/// <summary>Which address space a probe read targets.</summary>
public enum ProbeSpace : byte
{
    /// <summary>Kernel memory (bpf_probe_read_kernel*): host-registered kernel regions and everything the run may read.</summary>
    Kernel,
    /// <summary>User memory (bpf_probe_read_user*): host-registered user regions only.</summary>
    User,
}

/// <summary>
/// The memory the probe-read helpers may copy from, registered by the host: "kernel" regions (host data
/// structures a tracing program inspects) and "user" regions (a traced client's buffers). Reads anywhere
/// else fail as a fault would in the kernel (zeroed destination, -EFAULT). Thread-safe: registration copies
/// the list; readers never lock.
/// </summary>
public sealed class ProbeMemory
{
    private readonly object _lock = new();
    private MemoryRegion[] _kernel = [];
    private MemoryRegion[] _user = [];

    /// <summary>The registered kernel regions.</summary>
    public ReadOnlySpan<MemoryRegion> KernelRegions => Volatile.Read(ref _kernel);
    /// <summary>The registered user regions.</summary>
    public ReadOnlySpan<MemoryRegion> UserRegions => Volatile.Read(ref _user);

    /// <summary>Lets bpf_probe_read_kernel* read <paramref name="region"/>. The memory must stay valid until removed.</summary>
    public void AddKernel(MemoryRegion region) => Add(ref _kernel, region);
    /// <summary>Lets bpf_probe_read_user* read <paramref name="region"/>. The memory must stay valid until removed.</summary>
    public void AddUser(MemoryRegion region) => Add(ref _user, region);
    /// <summary>Forgets a kernel region; true if it was registered.</summary>
    public bool RemoveKernel(MemoryRegion region) => Remove(ref _kernel, region);
    /// <summary>Forgets a user region; true if it was registered.</summary>
    public bool RemoveUser(MemoryRegion region) => Remove(ref _user, region);

    /// <summary>How many bytes from <paramref name="address"/> on one registered region of <paramref name="space"/> offers (0: none).</summary>
    public ulong ReadableLength(ProbeSpace space, ulong address)
    {
        ulong best = 0;
        foreach (ref readonly MemoryRegion region in (space == ProbeSpace.Kernel ? Volatile.Read(ref _kernel) : Volatile.Read(ref _user)).AsSpan())
        {
            if (region.Contains(address, 1) && region.End - address > best)
                best = region.End - address;
        }
        return best;
    }

    private void Add(ref MemoryRegion[] list, MemoryRegion region)
    {
        lock (_lock)
            Volatile.Write(ref list, [.. list, region]);
    }

    private bool Remove(ref MemoryRegion[] list, MemoryRegion region)
    {
        lock (_lock)
        {
            int index = Array.FindIndex(list, r => r.Start == region.Start && r.Length == region.Length);
            if (index < 0) return false;
            MemoryRegion[] shorter = [.. list.AsSpan(0, index), .. list.AsSpan(index + 1)];
            Volatile.Write(ref list, shorter);
            return true;
        }
    }
}
