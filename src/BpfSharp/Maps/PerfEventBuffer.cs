using System.Runtime.InteropServices;
using BpfSharp.Maps.RingBuf;
using BpfSharp.Memory;
using BpfSharp.Uapi;

namespace BpfSharp.Maps;

/// <summary>
/// The stand-in for a <c>perf_event_open(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_BPF_OUTPUT, cpu)</c> event with its mmap'ed
/// ring: what a PERF_EVENT_ARRAY slot holds and bpf_perf_event_output writes into. Records use the kernel's perf format:
/// <c>PERF_RECORD_SAMPLE</c> (<c>struct perf_event_header</c>, u32 raw size, the raw data padded so the record is a
/// multiple of 8) and <c>PERF_RECORD_LOST</c> (header, u64 id, u64 lost) written before the next sample that fits
/// after samples were dropped for lack of space. Every sample wakes the reader (a watermark of one byte).
/// </summary>
public sealed unsafe class PerfEventBuffer : BpfObject
{
    /// <summary>PERF_RECORD_LOST.</summary>
    public const uint PERF_RECORD_LOST = 2;
    /// <summary>PERF_RECORD_SAMPLE.</summary>
    public const uint PERF_RECORD_SAMPLE = 9;

    private readonly object _lock = new(); // writers on one CPU slot may be several threads here
    private readonly byte* _data;
    private readonly ulong _mask;
    private ulong _head, _tail; // bytes written / read since creation
    private ulong _lost; // samples dropped since the last PERF_RECORD_LOST
    private long _lostTotal;

    /// <summary>A buffer for <paramref name="cpu"/> of <paramref name="size"/> data bytes (a power of 2, at least 4096).</summary>
    public PerfEventBuffer(int cpu, uint size)
    {
        if (size < 4096 || (size & (size - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(size), "a power of 2, at least 4096");
        ArgumentOutOfRangeException.ThrowIfNegative(cpu);
        Cpu = cpu;
        Size = size;
        _mask = size - 1;
        _data = (byte*)NativeMemory.AllocZeroed(size);
    }

    /// <summary>The CPU whose programs write here (the event's <c>oncpu</c>).</summary>
    public int Cpu { get; }

    /// <summary>The data ring's size in bytes.</summary>
    public uint Size { get; }

    /// <summary>Who is woken when a sample arrives.</summary>
    public RingBufWaitQueue WaitQueue { get; } = new();

    /// <summary>Samples dropped for lack of space since creation.</summary>
    public long LostSamples => Interlocked.Read(ref _lostTotal);

    /// <summary>
    /// perf_event_output of a BPF_OUTPUT sample holding <paramref name="raw"/>: 0, or -ENOSPC when the ring has no room
    /// (the sample is counted as lost and reported by a PERF_RECORD_LOST before the next sample that fits).
    /// </summary>
    public int Output(ReadOnlySpan<byte> raw)
    {
        // kernel: perf_prepare_sample: the raw size is padded so that the u32 size and the data end on 8 bytes.
        uint rawSize = (uint)(((raw.Length + sizeof(uint) + 7) & ~7) - sizeof(uint));
        uint sampleSize = 8 + sizeof(uint) + rawSize;
        lock (_lock)
        {
            ulong lostSize = _lost > 0 ? 24ul : 0;
            ulong free = Size - (_head - Volatile.Read(ref _tail));
            if (sampleSize + lostSize > free || sampleSize > ushort.MaxValue)
            {
                _lost++;
                Interlocked.Increment(ref _lostTotal);
                return -Errno.ENOSPC;
            }
            if (_lost > 0)
            {
                Span<byte> lost = stackalloc byte[24];
                WriteHeader(lost, PERF_RECORD_LOST, 24);
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(lost[8..], 0);
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(lost[16..], _lost);
                Put(lost);
                _lost = 0;
            }
            Span<byte> head = stackalloc byte[12];
            WriteHeader(head, PERF_RECORD_SAMPLE, (ushort)sampleSize);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(head[8..], rawSize);
            Put(head);
            Put(raw);
            Span<byte> pad = stackalloc byte[8];
            pad.Clear();
            Put(pad[..(int)(rawSize - raw.Length)]);
        }
        WaitQueue.Wake();
        return 0;
    }

    private static void WriteHeader(Span<byte> header, uint type, ushort size)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header, type);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 0); // misc
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(header[6..], size);
    }

    // Copies bytes at the head, wrapping around the end (a perf ring is mapped once).
    private void Put(ReadOnlySpan<byte> bytes)
    {
        int at = (int)(_head & _mask), first = Math.Min(bytes.Length, (int)Size - at);
        bytes[..first].CopyTo(new Span<byte>(_data + at, first));
        bytes[first..].CopyTo(new Span<byte>(_data, bytes.Length - first));
        _head += (ulong)bytes.Length;
    }

    /// <summary>
    /// The consumer side: copies the next record (header included) into <paramref name="record"/> and frees its space;
    /// false if none. One consumer at a time.
    /// </summary>
    public bool TryTake(ref byte[] record, out int length)
    {
        lock (_lock)
        {
            if (_tail == _head)
            {
                length = 0;
                return false;
            }
            int at = (int)(_tail & _mask);
            Span<byte> header = stackalloc byte[8];
            for (int i = 0; i < 8; i++) header[i] = _data[(at + i) & (int)_mask];
            length = System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(header[6..]);
            if (record.Length < length) record = new byte[Math.Max(length, record.Length * 2)];
            int first = Math.Min(length, (int)Size - at);
            new ReadOnlySpan<byte>(_data + at, first).CopyTo(record);
            new ReadOnlySpan<byte>(_data, length - first).CopyTo(record.AsSpan(first));
            Volatile.Write(ref _tail, _tail + (ulong)length);
            return true;
        }
    }

    /// <summary>Frees the ring (the last fd or array slot let go).</summary>
    protected override void Free() => NativeMemory.Free(_data);
}
