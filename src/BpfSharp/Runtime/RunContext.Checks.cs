using BpfSharp.Memory;

namespace BpfSharp.Runtime;

// Checked-mode access classification and fault messages.
public sealed partial class RunContext
{
    private enum Access : byte { Allowed, OutOfBounds, ReadOnly }

    /// <summary>Engine entry for a checked access the inline stack test did not accept: returns if allowed, throws otherwise.</summary>
    internal void CheckProgramAccess(ulong address, ulong size, AccessKind kind, int pc)
    {
        if (Classify(address, size, kind) != Access.Allowed)
            throw AccessFault(address, size, kind, pc, "");
    }

    private Access Classify(ulong address, ulong size, AccessKind kind)
    {
        ulong stackSize = (ulong)(Depth + 1) * BpfStack.FrameSize;
        if (Running && Bounds.Contains(StackTop - stackSize, stackSize, address, size))
            return Access.Allowed;
        bool write = kind != AccessKind.Load;
        bool readOnlyHit = false;
        for (int i = 0; i < _regionCount; i++)
        {
            ref readonly MemoryRegion region = ref _regions[i];
            if (!region.Contains(address, size)) continue;
            if (!write || region.Writable) return Access.Allowed;
            readOnlyHit = true;
        }
        if (_packet is { } packet && packet.Contains(address, size))
        {
            if (!write || packet.Writable) return Access.Allowed;
            readOnlyHit = true;
        }
        for (int i = 0; i < _runRegionCount; i++)
        {
            ref readonly MemoryRegion region = ref _runRegions[i];
            if (!region.Contains(address, size)) continue;
            if (!write || region.Writable) return Access.Allowed;
            readOnlyHit = true;
        }
        return readOnlyHit ? Access.ReadOnly : Access.OutOfBounds;
    }

    /// <summary>
    /// How many bytes from <paramref name="address"/> on the run may <paramref name="kind"/> in one piece:
    /// the most any single region containing it (active stack, regions, packet, run regions) offers; 0 if none.
    /// </summary>
    public ulong AccessibleLength(ulong address, AccessKind kind)
    {
        bool write = kind != AccessKind.Load;
        ulong best = 0;
        void Consider(in MemoryRegion region)
        {
            if ((write && !region.Writable) || !region.Contains(address, 1)) return;
            ulong length = region.End - address;
            if (length > best) best = length;
        }
        if (Running)
        {
            ulong stackSize = (ulong)(Depth + 1) * BpfStack.FrameSize;
            if (Bounds.Contains(StackTop - stackSize, stackSize, address, 1))
                best = StackTop - address;
        }
        for (int i = 0; i < _regionCount; i++)
            Consider(_regions[i]);
        if (_packet is { } packet)
            Consider(packet);
        for (int i = 0; i < _runRegionCount; i++)
            Consider(_runRegions[i]);
        return best;
    }

    private BpfRuntimeException AccessFault(ulong address, ulong size, AccessKind kind, int pc, string prefix)
    {
        string what = kind switch { AccessKind.Load => "load", AccessKind.Store => "store", _ => "atomic" };
        if (Classify(address, size, kind) == Access.ReadOnly)
        {
            MemoryRegion hit = ReadOnlyHit(address, size);
            return new BpfRuntimeException(FaultKind.ReadOnly, pc,
                $"{prefix}{what} of {size} bytes at 0x{address:x} into read-only {Describe(hit)}", address);
        }
        return new BpfRuntimeException(FaultKind.OutOfBounds, pc,
            $"{prefix}out-of-bounds {what} of {size} bytes at 0x{address:x} ({Describe(Nearest(address))})", address);
    }

    private MemoryRegion ReadOnlyHit(ulong address, ulong size)
    {
        for (int i = 0; i < _regionCount; i++)
        {
            if (!_regions[i].Writable && _regions[i].Contains(address, size))
                return _regions[i];
        }
        for (int i = 0; i < _runRegionCount; i++)
        {
            if (!_runRegions[i].Writable && _runRegions[i].Contains(address, size))
                return _runRegions[i];
        }
        return _packet ?? default;
    }

    internal BpfRuntimeException MisalignedAtomic(ulong address, ulong size, int pc) =>
        new(FaultKind.MisalignedAtomic, pc,
            $"misaligned atomic of {size} bytes at 0x{address:x} (atomics need {size}-byte alignment)", address);

    private static string Describe(MemoryRegion region) =>
        region.Name.Length == 0 && region.Length == 0 ? "no regions" : $"{region.Name} is 0x{(ulong)region.Start:x}-0x{region.End:x}";

    // The region (stack frames counted one by one) closest to the address, for the fault message.
    private MemoryRegion Nearest(ulong address)
    {
        MemoryRegion best = default;
        ulong bestDistance = ulong.MaxValue;
        void Consider(in MemoryRegion candidate)
        {
            ulong d = candidate.DistanceTo(address);
            if (d < bestDistance) { best = candidate; bestDistance = d; }
        }
        if (Running)
        {
            for (int frame = 0; frame <= Depth; frame++)
            {
                ulong top = StackTop - (ulong)frame * BpfStack.FrameSize;
                Consider(new MemoryRegion((nint)(top - BpfStack.FrameSize), BpfStack.FrameSize, true, $"stack frame {frame}"));
            }
        }
        for (int i = 0; i < _regionCount; i++)
            Consider(_regions[i]);
        for (int i = 0; i < _runRegionCount; i++)
        {
            if (_runRegions[i].Length > 0)
                Consider(_runRegions[i]);
        }
        if (_packet is { } packet)
            Consider(packet);
        return best;
    }
}
