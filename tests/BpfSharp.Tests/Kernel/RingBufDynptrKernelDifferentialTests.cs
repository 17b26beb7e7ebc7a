using BpfSharp.Isa;
using BpfSharp.Maps.RingBuf;
using BpfSharp.Memory;
using BpfSharp.Syscall;
using BpfSharp.Tests.Syscall;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Kernel;

/// <summary>
/// The ring buffer dynptr helpers (bpf_ringbuf_reserve_dynptr, bpf_ringbuf_submit_dynptr, bpf_ringbuf_discard_dynptr)
/// with bpf_dynptr_write/read/data on the record, against the live kernel's: the same program run with
/// BPF_PROG_TEST_RUN on the same schedule until the 4 KiB ring is full, in the kernel and in ours on every engine. The
/// helpers' results (stored in an array value), r0, every record header (length, discard bit, pg_off), every
/// submitted byte and the positions must agree; the failed reservations (flags, a size past 16 MiB - 1, more than the
/// ring, a full ring) leave a null dynptr that is still submitted or discarded.
/// </summary>
public unsafe class RingBufDynptrKernelDifferentialTests
{
    private const uint RingSize = 4096;

    // map 0: the ring; map 1: an array of one 64-byte value for the results
    internal const string Program = """
        *(u32 *)(r10 -4) = 0
        r2 = r10
        r2 += -4
        r1 = map[idx:1]
        call bpf_map_lookup_elem
        if r0 != 0x0 goto have_value
        exit
        have_value:
        r6 = r0
        r1 = map[idx:0]
        r2 = 20
        r3 = 0
        r4 = r10
        r4 += -24
        call bpf_ringbuf_reserve_dynptr
        *(u64 *)(r6 +0) = r0
        r1 = 0x1122334455667788 ll
        *(u64 *)(r10 -32) = r1
        r1 = r10
        r1 += -24
        r2 = 12
        r3 = r10
        r3 += -32
        r4 = 8
        r5 = 0
        call bpf_dynptr_write
        *(u64 *)(r6 +8) = r0
        r1 = r10
        r1 += -24
        r2 = 16
        r3 = r10
        r3 += -32
        r4 = 8
        r5 = 0
        call bpf_dynptr_write
        *(u64 *)(r6 +16) = r0
        r1 = r10
        r1 += -24
        r2 = 0
        r3 = 12
        call bpf_dynptr_data
        if r0 == 0x0 goto no_slice
        r1 = 0x0a0b0c0d0e0f1011 ll
        *(u64 *)(r0 +0) = r1
        *(u32 *)(r0 +8) = 7
        no_slice:
        r1 = 0x5555555555555555 ll
        *(u64 *)(r10 -40) = r1
        r1 = r10
        r1 += -40
        r2 = 8
        r3 = r10
        r3 += -24
        r4 = 4
        r5 = 0
        call bpf_dynptr_read
        *(u64 *)(r6 +24) = r0
        r1 = *(u64 *)(r10 -40)
        *(u64 *)(r6 +32) = r1
        r1 = r10
        r1 += -24
        r2 = 0
        call bpf_ringbuf_submit_dynptr
        r1 = map[idx:0]
        r2 = 8
        r3 = 1
        r4 = r10
        r4 += -24
        call bpf_ringbuf_reserve_dynptr
        r7 = r0
        r1 = r10
        r1 += -24
        r2 = 0
        r3 = 8
        call bpf_dynptr_data
        r8 = r0
        r1 = r10
        r1 += -24
        r2 = 0
        call bpf_ringbuf_discard_dynptr
        r1 = map[idx:0]
        r2 = 0x1000000 ll
        r3 = 0
        r4 = r10
        r4 += -24
        call bpf_ringbuf_reserve_dynptr
        r7 <<= 8
        r7 |= r0
        r1 = r10
        r1 += -24
        r2 = 0
        call bpf_ringbuf_submit_dynptr
        r1 = map[idx:0]
        r2 = 4096
        r3 = 0
        r4 = r10
        r4 += -24
        call bpf_ringbuf_reserve_dynptr
        r7 <<= 8
        r7 |= r0
        r1 = r10
        r1 += -24
        r2 = 0
        call bpf_ringbuf_discard_dynptr
        r1 = map[idx:0]
        r2 = 5
        r3 = 0
        r4 = r10
        r4 += -24
        call bpf_ringbuf_reserve_dynptr
        *(u64 *)(r6 +40) = r0
        r1 = r10
        r1 += -24
        r2 = 0
        call bpf_ringbuf_discard_dynptr
        *(u64 *)(r6 +48) = r7
        *(u64 *)(r6 +56) = r8
        r1 = map[idx:0]
        r2 = 0
        call bpf_ringbuf_query
        exit
        """;

    [SkippableFact]
    public void Records_results_and_positions_match_the_kernels()
    {
        Skip.IfNot(KernelBpf.IsAvailable, "needs bpf() as root");
        foreach ((string engine, BpfSystemOptions options) in DynptrKernelDifferentialTests.OurOptions())
        {
            using var kernel = new Side(new KernelTarget());
            using var ours = new Side(new OurTarget(options));
            bool full = false;
            for (int i = 0; i < 110; i++)
            {
                (uint kr, byte[] kv) = kernel.Run();
                (uint or, byte[] ov) = ours.Run();
                Assert.True(kr == or, $"{engine}, run {i}: r0 {or}, the kernel's {kr}");
                Assert.True(kv.AsSpan().SequenceEqual(ov), $"{engine}, run {i}: results {Convert.ToHexString(ov)}, the kernel's {Convert.ToHexString(kv)}");
                full |= BitConverter.ToInt64(kv, 0) == -Errno.EINVAL;
                bool consume = i < 20 ? i % 4 == 3 : i == 109; // now and then, then not at all: the ring fills up
                if (!consume) continue;
                RingBufKernelDifferentialTests.RawRecord[] k = kernel.Drain(), o = ours.Drain();
                Assert.True(k.Length == o.Length, $"{engine}, run {i}: {o.Length} records, the kernel's {k.Length}");
                for (int r = 0; r < k.Length; r++)
                {
                    Assert.Equal(k[r].Len, o[r].Len);
                    Assert.Equal(k[r].PgOff, o[r].PgOff);
                    Assert.Equal(k[r].Position, o[r].Position);
                    if ((k[r].Len & RingBufRecordHeader.DiscardBit) == 0)
                        Assert.True(k[r].Data.AsSpan().SequenceEqual(o[r].Data), $"{engine}, run {i}, record {r}: {Convert.ToHexString(o[r].Data)}, the kernel's {Convert.ToHexString(k[r].Data)}");
                }
            }
            Assert.True(full, "the ring never filled up");
        }
    }

    /// <summary>A ring and a result array (kernel or ours) with the program loaded; the ring read through the kernel's mmap layout.</summary>
    private sealed class Side : IDisposable
    {
        private readonly IBpfTarget _target;
        private readonly int _ring, _array, _prog;
        private readonly ulong* _consumer, _producer;
        private readonly byte* _data;
        private readonly nint _consumerPage, _producerPages;
        private readonly BpfObject? _ours;

        public Side(IBpfTarget target)
        {
            _target = target;
            _ring = target.CreateMap(BpfMapType.Ringbuf, 0, 0, RingSize);
            _array = target.CreateMap(BpfMapType.Array, 4, DynptrKernelDifferentialTests.ValueSize, 1);
            Assert.True(_ring > 0 && _array > 0, $"{target.Name}: map create {_ring} {_array}");
            _prog = target.Load(Assembler.Assemble(Program), out string log, fdArray: [_ring, _array], logSize: 1 << 16);
            Assert.True(_prog > 0, $"{target.Name}: load {_prog}\n{log}");
            if (target is OurTarget o)
            {
                Assert.Equal(0, o.System.GetObject(_ring, out _ours));
                var ring = (RingBufMap)_ours!;
                _consumer = (ulong*)ring.ConsumerPositionAddress;
                _producer = (ulong*)ring.ProducerPositionAddress;
                _data = (byte*)ring.DataAddress;
            }
            else
            {
                nint page = Environment.SystemPageSize;
                _consumerPage = KernelMmap.Map(page, KernelMmap.PROT_READ | KernelMmap.PROT_WRITE, _ring, 0);
                _producerPages = KernelMmap.Map(page + 2 * (nint)RingSize, KernelMmap.PROT_READ, _ring, page);
                _consumer = (ulong*)_consumerPage;
                _producer = (ulong*)_producerPages;
                _data = (byte*)_producerPages + page;
            }
        }

        public (uint, byte[]) Run()
        {
            byte[] value = new byte[DynptrKernelDifferentialTests.ValueSize];
            Assert.Equal(0, DynptrKernelDifferentialTests.Element(_target, BpfCommand.MapUpdateElem, _array, value));
            Assert.Equal(0, _target.TestRun(_prog, new byte[64], out TestRunAttr result));
            Assert.Equal(0, DynptrKernelDifferentialTests.Element(_target, BpfCommand.MapLookupElem, _array, value));
            return (result.Retval, value);
        }

        public RingBufKernelDifferentialTests.RawRecord[] Drain()
        {
            var records = new List<RingBufKernelDifferentialTests.RawRecord>();
            ulong cons = Volatile.Read(ref *_consumer), prod = Volatile.Read(ref *_producer);
            while (cons < prod)
            {
                byte* hdr = _data + (cons & (RingSize - 1));
                uint len = Volatile.Read(ref *(uint*)hdr), pgOff = ((uint*)hdr)[1];
                Assert.Equal(0u, len & RingBufRecordHeader.BusyBit);
                int dataLength = (int)(len & ~RingBufRecordHeader.DiscardBit);
                records.Add(new(cons, len, pgOff, new ReadOnlySpan<byte>(hdr + 8, dataLength).ToArray()));
                cons += RingBufRecordHeader.SpaceFor(len);
            }
            Volatile.Write(ref *_consumer, cons);
            return [.. records];
        }

        public void Dispose()
        {
            if (_consumerPage != 0) KernelMmap.Unmap(_consumerPage, Environment.SystemPageSize);
            if (_producerPages != 0) KernelMmap.Unmap(_producerPages, Environment.SystemPageSize + 2 * (nint)RingSize);
            _ours?.Release();
            _target.Close(_prog);
            _target.Close(_ring);
            _target.Close(_array);
            _target.Dispose();
        }
    }
}
