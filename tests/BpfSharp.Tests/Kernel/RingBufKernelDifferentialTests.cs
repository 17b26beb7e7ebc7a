using System.Runtime.InteropServices;
using BpfSharp.Isa;
using BpfSharp.Maps.RingBuf;
using BpfSharp.Memory;
using BpfSharp.Syscall;
using BpfSharp.Tests.Syscall;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Kernel;

/// <summary>
/// Our ring buffer against the live kernel's: the same program (bpf_ringbuf_output, reserve + discard, reserve +
/// submit, bpf_ringbuf_query) run with BPF_PROG_TEST_RUN on the same schedule, the kernel's ring read through the
/// mmap of its fd (consumer page, producer page + data twice), ours through the same layout; every record header
/// (length, busy/discard bits, pg_off), every submitted byte, every return value and position must agree,
/// through wrap-around and a full ring.
/// </summary>
public unsafe class RingBufKernelDifferentialTests
{
    private const uint RingSize = 4096;

    internal const string Program = """
        r1 = 0x1122334455667788 ll
        *(u64 *)(r10 -8) = r1
        r1 = map[idx:0]
        r2 = r10
        r2 += -8
        r3 = 8
        r4 = 0
        call bpf_ringbuf_output
        r6 = r0
        r1 = map[idx:0]
        r2 = 13
        r3 = 0
        call bpf_ringbuf_reserve
        if r0 == 0x0 goto discarded
        *(u64 *)(r0 +0) = 7
        *(u32 *)(r0 +8) = 9
        r1 = r0
        r2 = 0
        call bpf_ringbuf_discard
        discarded:
        r1 = map[idx:0]
        r2 = 20
        r3 = 0
        call bpf_ringbuf_reserve
        if r0 == 0x0 goto submitted
        *(u64 *)(r0 +0) = 42
        *(u64 *)(r0 +8) = r6
        *(u32 *)(r0 +16) = 44
        r1 = r0
        r2 = 0
        call bpf_ringbuf_submit
        submitted:
        r1 = map[idx:0]
        r2 = 3
        call bpf_ringbuf_query
        r7 = r0
        r1 = map[idx:0]
        r2 = 0
        call bpf_ringbuf_query
        r0 <<= 16
        r0 |= r7
        exit
        """;

    public static TheoryData<string> Schedules() => new()
    {
        "steady", // consume after every third run: wraps around the ring many times
        "fill",   // never consume for 70 runs: the ring fills, output and reserve fail
    };

    [SkippableTheory]
    [MemberData(nameof(Schedules))]
    public void Records_headers_and_positions_match_the_kernels(string schedule)
    {
        Skip.IfNot(KernelBpf.IsAvailable, "needs bpf() as root");
        using var kernel = new Side(new KernelTarget());
        using var ours = new Side(new OurTarget());
        int runs = schedule == "steady" ? 200 : 90;
        for (int i = 0; i < runs; i++)
        {
            uint kernelRet = kernel.Run(), ourRet = ours.Run();
            Assert.Equal(kernelRet, ourRet);
            bool consume = schedule == "steady" ? i % 3 == 2 : i >= 70;
            if (!consume) continue;
            RawRecord[] k = kernel.Drain(), o = ours.Drain();
            Assert.Equal(k.Length, o.Length);
            for (int r = 0; r < k.Length; r++)
            {
                Assert.Equal(k[r].Len, o[r].Len);
                Assert.Equal(k[r].PgOff, o[r].PgOff);
                Assert.Equal(k[r].Position, o[r].Position);
                if ((k[r].Len & RingBufRecordHeader.DiscardBit) == 0)
                    Assert.Equal(k[r].Data, o[r].Data);
            }
        }
    }

    [SkippableFact]
    public void Ring_buffer_creation_and_commands_match_the_kernels()
    {
        Skip.IfNot(KernelBpf.IsAvailable, "needs bpf() as root");
        uint page = (uint)Environment.SystemPageSize;
        (uint Max, uint Flags)[] cases =
            [(page, 0), (2 * page, 0), (3 * page, 0), (page / 2, 0), (0, 0), (page, MapFlags.BPF_F_NUMA_NODE),
             (page, MapFlags.BPF_F_RDONLY), (page, MapFlags.BPF_F_RDONLY_PROG), (page, MapFlags.BPF_F_MMAPABLE), (page, 1u << 19)];
        using var kernel = new KernelTarget();
        using var ours = new OurTarget();
        foreach (var (max, flags) in cases)
        {
            int k = kernel.CreateMap(BpfMapType.Ringbuf, 0, 0, max, flags), o = ours.CreateMap(BpfMapType.Ringbuf, 0, 0, max, flags);
            Assert.Equal(k < 0 ? k : 0, o < 0 ? o : 0);
        }
        Assert.Equal(-Errno.EINVAL, kernel.CreateMap(BpfMapType.Ringbuf, 4, 0, page));
        Assert.Equal(-Errno.EINVAL, ours.CreateMap(BpfMapType.Ringbuf, 4, 0, page));
        int kfd = kernel.CreateMap(BpfMapType.Ringbuf, 0, 0, page), ofd = ours.CreateMap(BpfMapType.Ringbuf, 0, 0, page);
        foreach (IBpfTarget t in new IBpfTarget[] { kernel, ours })
        {
            int fd = t == kernel ? kfd : ofd;
            Assert.Equal(-Errno.ENOTSUPP, Elem(t, BpfCommand.MapLookupElem, fd, withKey: false));
            Assert.Equal(-Errno.EINVAL, Elem(t, BpfCommand.MapLookupElem, fd, withKey: true));
            Assert.Equal(-Errno.ENOTSUPP, Elem(t, BpfCommand.MapUpdateElem, fd, withKey: false));
            Assert.Equal(-Errno.ENOTSUPP, Elem(t, BpfCommand.MapDeleteElem, fd, withKey: false));
            Assert.Equal(-Errno.ENOTSUPP, Elem(t, BpfCommand.MapGetNextKey, fd, withKey: false));
            Assert.Equal(-Errno.ENOTSUPP, Elem(t, BpfCommand.MapLookupAndDeleteElem, fd, withKey: false));
            Assert.Equal(0, t.MapInfo(fd, out BpfMapInfo info));
            Assert.Equal(((uint)BpfMapType.Ringbuf, 0u, 0u, page), (info.Type, info.KeySize, info.ValueSize, info.MaxEntries));
        }
    }

    private static int Elem(IBpfTarget t, BpfCommand cmd, int fd, bool withKey)
    {
        byte* buffer = stackalloc byte[16];
        BpfAttr attr = default;
        attr.MapElem.MapFd = (uint)fd;
        attr.MapElem.Key = withKey ? (ulong)buffer : 0;
        if (cmd != BpfCommand.MapDeleteElem) attr.MapElem.Value = (ulong)(buffer + 8); // value, or next_key (the same field)
        return t.Bpf(cmd, ref attr);
    }

    internal readonly record struct RawRecord(ulong Position, uint Len, uint PgOff, byte[] Data);

    /// <summary>One ring (kernel or ours) with the test program loaded; read through the kernel's mmap layout.</summary>
    private sealed class Side : IDisposable
    {
        private readonly IBpfTarget _target;
        private readonly int _map, _prog;
        private readonly ulong* _consumer, _producer;
        private readonly byte* _data;
        private readonly nint _consumerPage, _producerPages;
        private readonly BpfObject? _ours;

        public Side(IBpfTarget target)
        {
            _target = target;
            _map = target.CreateMap(BpfMapType.Ringbuf, 0, 0, RingSize);
            Assert.True(_map > 0, $"{target.Name}: map create {_map}");
            _prog = target.Load(Assembler.Assemble(Program), out string log, fdArray: [_map]);
            Assert.True(_prog > 0, $"{target.Name}: load {_prog}\n{log}");
            if (target is OurTarget o)
            {
                Assert.Equal(0, o.System.GetObject(_map, out _ours));
                var ring = (RingBufMap)_ours!;
                _consumer = (ulong*)ring.ConsumerPositionAddress;
                _producer = (ulong*)ring.ProducerPositionAddress;
                _data = (byte*)ring.DataAddress;
            }
            else
            {
                nint page = Environment.SystemPageSize;
                _consumerPage = KernelMmap.Map(page, KernelMmap.PROT_READ | KernelMmap.PROT_WRITE, _map, 0);
                _producerPages = KernelMmap.Map(page + 2 * (nint)RingSize, KernelMmap.PROT_READ, _map, page);
                _consumer = (ulong*)_consumerPage;
                _producer = (ulong*)_producerPages;
                _data = (byte*)_producerPages + page;
            }
        }

        public uint Run()
        {
            Assert.Equal(0, _target.TestRun(_prog, new byte[64], out TestRunAttr result));
            return result.Retval;
        }

        public RawRecord[] Drain()
        {
            var records = new List<RawRecord>();
            ulong cons = Volatile.Read(ref *_consumer), prod = Volatile.Read(ref *_producer);
            while (cons < prod)
            {
                byte* hdr = _data + (cons & (RingSize - 1));
                uint len = Volatile.Read(ref *(uint*)hdr), pgOff = ((uint*)hdr)[1];
                Assert.Equal(0u, len & RingBufRecordHeader.BusyBit);
                int dataLength = (int)(len & ~RingBufRecordHeader.DiscardBit);
                records.Add(new RawRecord(cons, len, pgOff, new ReadOnlySpan<byte>(hdr + 8, dataLength).ToArray()));
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
            _target.Close(_map);
            _target.Dispose();
        }
    }
}

/// <summary>mmap of a kernel BPF map fd.</summary>
internal static unsafe class KernelMmap
{
    public const int PROT_READ = 1, PROT_WRITE = 2, MAP_SHARED = 1;

    [DllImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static extern nint Mmap(nint address, nint length, int prot, int flags, int fd, long offset);

    [DllImport("libc", EntryPoint = "munmap", SetLastError = true)]
    private static extern int Munmap(nint address, nint length);

    public static nint Map(nint length, int prot, int fd, long offset)
    {
        nint p = Mmap(0, length, prot, MAP_SHARED, fd, offset);
        Assert.True(p != -1, $"mmap failed: errno {Marshal.GetLastPInvokeError()}");
        return p;
    }

    public static void Unmap(nint address, nint length) => Munmap(address, length);
}
