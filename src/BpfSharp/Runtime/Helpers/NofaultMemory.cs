using BpfSharp.Memory;

namespace BpfSharp.Runtime.Helpers;

/// <summary>
/// The kernel's <c>copy_from_kernel_nofault</c> / <c>strncpy_from_*_nofault</c>: reads of arbitrary addresses
/// that fail instead of faulting. An address is readable if it lies in memory the run may read (kernel space
/// only) or in a host-registered <see cref="ProbeMemory"/> region of that space. Both modes check: such
/// addresses are ARG_ANYTHING, which no verifier vouches for.
/// </summary>
public static unsafe class NofaultMemory
{
    /// <summary>
    /// Bytes readable from <paramref name="address"/> on in one piece (0: unreadable); a null
    /// <paramref name="probe"/> offers no region.
    /// </summary>
    public static ulong ReadableLength(RunContext run, ProbeMemory? probe, ProbeSpace space, ulong address)
    {
        ulong fromProbe = probe?.ReadableLength(space, address) ?? 0;
        if (space == ProbeSpace.User) return fromProbe;
        return Math.Max(fromProbe, run.AccessibleLength(address, AccessKind.Load));
    }

    /// <summary>Copies <paramref name="size"/> bytes to <paramref name="destination"/>; on failure zero-fills it and returns -EFAULT.</summary>
    public static int Copy(RunContext run, ProbeMemory probe, ProbeSpace space, byte* destination, ulong source, uint size)
    {
        if (size == 0) return 0;
        if (ReadableLength(run, probe, space, source) >= size)
        {
            Buffer.MemoryCopy((void*)source, destination, size, size);
            return 0;
        }
        new Span<byte>(destination, (int)size).Clear();
        return -Uapi.Errno.EFAULT;
    }

    /// <summary>
    /// strncpy_from_*_nofault: copies the string at <paramref name="source"/> with its NUL, at most
    /// <paramref name="size"/> bytes (the last one then becomes NUL); returns the bytes written including the NUL,
    /// 0 for size 0, or -EFAULT if the string runs into unreadable memory first (the first byte of
    /// <paramref name="destination"/> is then NUL). Bytes after the NUL are left as they were.
    /// </summary>
    public static int CopyString(RunContext run, ProbeMemory probe, ProbeSpace space, byte* destination, ulong source, uint size)
    {
        if (size == 0) return 0;
        ulong readable = Math.Min(ReadableLength(run, probe, space, source), size);
        var from = new ReadOnlySpan<byte>((void*)source, (int)readable);
        int nul = from.IndexOf((byte)0);
        if (nul >= 0)
        {
            from[..(nul + 1)].CopyTo(new Span<byte>(destination, nul + 1));
            return nul + 1;
        }
        if (readable < size)
        {
            destination[0] = 0;
            return -Uapi.Errno.EFAULT;
        }
        from[..((int)size - 1)].CopyTo(new Span<byte>(destination, (int)size - 1));
        destination[size - 1] = 0;
        return (int)size;
    }
}
