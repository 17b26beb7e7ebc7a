using System.Runtime.InteropServices;

namespace BpfSharp.Memory;

/// <summary>
/// A zeroed block of unmanaged memory with a stable address, for memory a program run
/// may see (caller memory, context, packet data). Freed by <see cref="Dispose"/> or the finalizer.
/// </summary>
public sealed unsafe class NativeBuffer : IDisposable
{
    private void* _pointer;

    /// <summary>Allocates <paramref name="length"/> zeroed bytes aligned to <paramref name="alignment"/> (a power of two).</summary>
    public NativeBuffer(long length, int alignment = 16)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (alignment <= 0 || (alignment & (alignment - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(alignment), "alignment must be a power of two");
        // Allocate at least one byte so that every buffer, even an empty one, has a distinct address.
        _pointer = NativeMemory.AlignedAlloc((nuint)Math.Max(length, 1), (nuint)alignment);
        NativeMemory.Clear(_pointer, (nuint)Math.Max(length, 1));
        Length = length;
    }

    /// <summary>Allocates a buffer holding a copy of <paramref name="contents"/>.</summary>
    public NativeBuffer(ReadOnlySpan<byte> contents, int alignment = 16) : this(contents.Length, alignment) =>
        contents.CopyTo(Span);

    /// <summary>The native address of the first byte.</summary>
    public nint Pointer => (nint)(_pointer is null ? throw new ObjectDisposedException(nameof(NativeBuffer)) : _pointer);
    /// <summary>Size in bytes.</summary>
    public long Length { get; }
    /// <summary>The bytes, as a span (buffers up to 2 GiB).</summary>
    public Span<byte> Span => new((void*)Pointer, checked((int)Length));

    /// <summary>The buffer as a region a run may touch.</summary>
    public MemoryRegion ToRegion(bool writable, string name) => new(Pointer, Length, writable, name);

    /// <summary>Frees the memory.</summary>
    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees the memory if <see cref="Dispose"/> was not called.</summary>
    ~NativeBuffer() => Free();

    private void Free()
    {
        void* p = _pointer;
        _pointer = null;
        if (p is not null)
            NativeMemory.AlignedFree(p);
    }
}
