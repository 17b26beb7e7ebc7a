using System.Runtime.CompilerServices;
using BpfSharp.Maps;
using BpfSharp.Memory;
using BpfSharp.Uapi;

namespace BpfSharp;

/// <summary>
/// The values of a BPF_F_MMAPABLE array, used in place (the kernel's <c>mmap()</c> of the map fd):
/// reads and writes go straight to the memory programs see, without a copy or a command. Holds a
/// reference to the map, so the memory stays valid until <see cref="Dispose"/> (the munmap), even if
/// every fd is closed meanwhile. A writable mapping keeps the map from being frozen (EBUSY), as
/// the kernel's does.
/// </summary>
/// <remarks>
/// Elements are <c>round_up(value_size, 8)</c> bytes apart (<see cref="ElementStride"/>). Spans
/// returned by <see cref="Bytes"/> and <see cref="Values{T}"/> must not be used after Dispose.
/// There is no synchronisation with programs: concurrent readers and writers see each other's
/// stores as they happen (use <see cref="Interlocked"/> on values programs update atomically).
/// </remarks>
public sealed unsafe class BpfMapMapping : IDisposable
{
    private ArrayMap? _map;
    private readonly byte* _address;

    private BpfMapMapping(ArrayMap map, bool writable)
    {
        _map = map;
        _address = (byte*)map.MmapAddress;
        Length = map.MmapLength;
        IsWritable = writable;
        ElementStride = (map.ValueSize + 7) & ~7u;
        Count = map.MaxEntries;
    }

    /// <summary>True if the mapping was made writable.</summary>
    public bool IsWritable { get; }

    /// <summary>Bytes mapped: <c>PAGE_ALIGN(max_entries * round_up(value_size, 8))</c>.</summary>
    public ulong Length { get; }

    /// <summary>Distance between two elements: <c>round_up(value_size, 8)</c>.</summary>
    public uint ElementStride { get; }

    /// <summary>Number of elements (max_entries).</summary>
    public uint Count { get; }

    /// <summary>The address of the first value (page-aligned).</summary>
    /// <exception cref="ObjectDisposedException">The mapping has been disposed.</exception>
    public nint Address
    {
        get
        {
            ObjectDisposedException.ThrowIf(_map is null, this);
            return (nint)_address;
        }
    }

    /// <summary>Every mapped byte.</summary>
    /// <exception cref="InvalidOperationException">The mapping is larger than a span can be.</exception>
    /// <exception cref="ObjectDisposedException">The mapping has been disposed.</exception>
    public Span<byte> Bytes
    {
        get
        {
            nint address = Address;
            if (Length > int.MaxValue) throw new InvalidOperationException("the mapping is larger than a Span; use Address and Length");
            return new Span<byte>((void*)address, (int)Length);
        }
    }

    /// <summary>
    /// The <see cref="Count"/> values as a span of <typeparamref name="T"/>, when elements are exactly
    /// <c>sizeof(T)</c> bytes apart (value_size is sizeof(T), a multiple of 8).
    /// </summary>
    /// <exception cref="ArgumentException">sizeof(<typeparamref name="T"/>) is not the element stride; use <see cref="Value{T}"/>.</exception>
    /// <exception cref="InvalidOperationException">The values do not fit in a span.</exception>
    public Span<T> Values<T>() where T : unmanaged
    {
        if ((uint)sizeof(T) != ElementStride)
            throw new ArgumentException($"sizeof({typeof(T).Name}) is {sizeof(T)}, elements are {ElementStride} bytes apart; use Value<T>(index)", nameof(T));
        nint address = Address;
        if (Count > int.MaxValue) throw new InvalidOperationException("more elements than a Span can hold");
        return new Span<T>((void*)address, (int)Count);
    }

    /// <summary>The value of element <paramref name="index"/>, in place.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not below max_entries.</exception>
    /// <exception cref="ArgumentException">sizeof(<typeparamref name="T"/>) exceeds the element's value_size rounded up to 8.</exception>
    public ref T Value<T>(uint index) where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        if ((uint)sizeof(T) > ElementStride)
            throw new ArgumentException($"sizeof({typeof(T).Name}) is larger than an element", nameof(T));
        return ref Unsafe.AsRef<T>((byte*)Address + (ulong)index * ElementStride);
    }

    /// <summary>Ends the mapping (munmap): drops the writable-mapping count and the map reference.</summary>
    public void Dispose()
    {
        ArrayMap? map = Interlocked.Exchange(ref _map, null);
        if (map is null) return;
        if (IsWritable) map.ReleaseWritableMapping();
        map.Release();
    }

    /// <summary>
    /// kernel: bpf_map_mmap. Maps the values of the map behind <paramref name="fd"/>: -EBADF, -ENOTSUPP (not
    /// an array), -EINVAL (no BPF_F_MMAPABLE), -EPERM (writable, but frozen) as a <see cref="BpfException"/>.
    /// </summary>
    internal static BpfMapMapping Map(BpfSystem system, int fd, bool writable)
    {
        int err = system.GetObject(fd, out BpfObject? obj);
        if (err < 0) throw new BpfException(err, "mmap");
        if (obj is not ArrayMap array)
        {
            obj?.Release();
            throw new BpfException(obj is Map ? -Errno.ENOTSUPP : -Errno.EINVAL, "mmap", "only arrays can be mapped");
        }
        err = array.IsMmapable ? 0 : -Errno.EINVAL;
        if (err == 0 && writable) err = array.AcquireWritableMapping();
        if (err < 0)
        {
            array.Release();
            throw new BpfException(err, "mmap", err == -Errno.EPERM ? "the map is frozen" : "the map was not created with BPF_F_MMAPABLE");
        }
        return new BpfMapMapping(array, writable);
    }
}
