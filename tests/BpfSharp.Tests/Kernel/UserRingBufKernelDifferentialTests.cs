using BpfSharp.Isa;
using BpfSharp.Maps.RingBuf;
using BpfSharp.Syscall;
using BpfSharp.Tests.Syscall;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Kernel;

/// <summary>
/// Our user ring buffer against the live kernel's. The kernel's ring is produced into through the mmap of its fd as
/// libbpf's user_ring_buffer does (consumer page read-only at offset 0; producer page and data, mapped twice,
/// writable after it), ours through <see cref="UserRingBufWriter"/>; the same schedule of reservations, submits,
/// discards and records left busy runs on both, and the same program drains them with bpf_user_ringbuf_drain
/// (BPF_PROG_TEST_RUN). Every drain's return value, the callback's checksum of what it read (and of its
/// bpf_dynptr_read / bpf_dynptr_write results), both positions and every data byte must agree. Malformed records
/// written straight into the ring give the kernel's errors; creation, mmap rules and map commands give its errnos.
/// </summary>
public unsafe class UserRingBufKernelDifferentialTests
{
    private const uint RingSize = 4096;

    // Drains map 0 with ctx = fp-8 (a checksum); stores the drain's r0 at key 0 and the checksum at key 1 of map 1.
    // The callback reads the sample's first 8 bytes (0 and -E2BIG for shorter samples), writes 0xaa over its first
    // byte through the dynptr, folds value and both results into the checksum, and stops on a value of 0xdead.
    internal const string Program = """
        *(u64 *)(r10 -8) = 0
        r1 = map[idx:0]
        r2 = subprog[cb]
        r3 = r10
        r3 += -8
        r4 = 0
        call bpf_user_ringbuf_drain
        *(u64 *)(r10 -16) = r0
        *(u32 *)(r10 -20) = 0
        r1 = map[idx:1]
        r2 = r10
        r2 += -20
        r3 = r10
        r3 += -16
        r4 = 0
        call bpf_map_update_elem
        *(u32 *)(r10 -20) = 1
        r1 = map[idx:1]
        r2 = r10
        r2 += -20
        r3 = r10
        r3 += -8
        r4 = 0
        call bpf_map_update_elem
        r0 = 0
        exit
        cb:
        r6 = r1
        r7 = r2
        *(u64 *)(r10 -8) = 0
        r1 = r10
        r1 += -8
        r2 = 8
        r3 = r6
        r4 = 0
        r5 = 0
        call bpf_dynptr_read
        r8 = r0
        *(u8 *)(r10 -16) = 170
        r1 = r6
        r2 = 0
        r3 = r10
        r3 += -16
        r4 = 1
        r5 = 0
        call bpf_dynptr_write
        r1 = *(u64 *)(r7 +0)
        r1 *= 31
        r2 = *(u64 *)(r10 -8)
        r1 += r2
        r8 &= 0xff
        r1 += r8
        r0 &= 0xff
        r0 <<= 8
        r1 += r0
        *(u64 *)(r7 +0) = r1
        r0 = 0
        r2 = *(u64 *)(r10 -8)
        if r2 != 0xdead goto out
        r0 = 1
        out:
        exit
        """;

    public static TheoryData<int> Seeds() => new() { 1, 2, 3 };

    [SkippableTheory]
    [MemberData(nameof(Seeds))]
    public void Drains_of_produced_records_match_the_kernels(int seed)
    {
        Skip.IfNot(KernelBpf.IsAvailable, "needs bpf() as root");
        using var kernel = new Side(new KernelTarget());
        using var ours = new Side(new OurTarget(new BpfSystemOptions()));
        var random = new Random(seed);
        var busy = new List<(long Kernel, long Ours)>();
        int full = 0;
        ulong drained = 0;
        for (int step = 0; step < 400; step++)
        {
            int op = random.Next(step is >= 150 and < 300 ? 6 : 10); // steps 150-299 only produce: the ring fills up
            if (op < 6)
            {
                int size = random.Next(0, 60);
                byte[] data = new byte[size];
                random.NextBytes(data);
                if (size >= 8 && random.Next(12) == 0) BitConverter.TryWriteBytes(data, 0xdeadul);
                int how = random.Next(20); // 0-2: discard, 3: left busy, else submit
                long k = kernel.Produce(data, how), o = ours.Produce(data, how);
                Assert.Equal(k < 0 ? k : 0, o < 0 ? o : 0);
                if (k == -Errno.ENOSPC) full++;
                if (how == 3 && k >= 0) busy.Add((k, o));
            }
            else if (op < 7 && busy.Count > 0)
            {
                int i = random.Next(busy.Count);
                bool discard = random.Next(2) == 0;
                kernel.Commit(busy[i].Kernel, discard);
                ours.Commit(busy[i].Ours, discard);
                busy.RemoveAt(i);
            }
            else
            {
                (ulong Ret, ulong Sum) k = kernel.Drain(), o = ours.Drain();
                Assert.Equal(k, o);
                kernel.AssertSameRing(ours, step);
                drained += k.Ret;
            }
        }
        Assert.True(full > 0 && drained > 50, $"the schedule should fill the ring and drain records: {full} full, {drained} drained");
        foreach (var (k, o) in busy)
        {
            kernel.Commit(k, discard: false);
            ours.Commit(o, discard: false);
        }
        Assert.Equal(kernel.Drain(), ours.Drain());
        kernel.AssertSameRing(ours, -1);
    }

    public static TheoryData<string> Malformed() => new()
    {
        "producer_unaligned",  // producer position not a multiple of 8: -EINVAL
        "past_producer",       // a record longer than the producer position says: -EINVAL
        "larger_than_ring",    // a record (header included) larger than the ring: -E2BIG
        "discard_then_bad",    // a discarded record is consumed before the bad one's error
        "busy_first",          // a busy record: nothing drained, 0
        "zero_length",         // a zero-length sample is handed over
    };

    [SkippableTheory]
    [MemberData(nameof(Malformed))]
    public void Malformed_records_give_the_kernels_errors(string shape)
    {
        Skip.IfNot(KernelBpf.IsAvailable, "needs bpf() as root");
        using var kernel = new Side(new KernelTarget());
        using var ours = new Side(new OurTarget(new BpfSystemOptions()));
        foreach (Side side in new[] { kernel, ours })
        {
            switch (shape)
            {
                case "producer_unaligned":
                    side.WriteRaw(0, 4, 0);
                    side.SetProducer(12);
                    break;
                case "past_producer":
                    side.WriteRaw(0, 64, 0);
                    side.SetProducer(16);
                    break;
                case "larger_than_ring":
                    side.WriteRaw(0, RingSize, 0);
                    side.SetProducer(2 * RingSize);
                    break;
                case "discard_then_bad":
                    side.WriteRaw(0, 8 | RingBufRecordHeader.DiscardBit, 0);
                    side.WriteRaw(16, 100, 0);
                    side.SetProducer(32);
                    break;
                case "busy_first":
                    side.WriteRaw(0, 8 | RingBufRecordHeader.BusyBit, 0);
                    side.WriteRaw(16, 8, 0);
                    side.SetProducer(32);
                    break;
                case "zero_length":
                    side.WriteRaw(0, 0, 0);
                    side.WriteRaw(8, 8, 0);
                    side.SetProducer(24);
                    break;
            }
        }
        (ulong Ret, ulong Sum) k = kernel.Drain(), o = ours.Drain();
        Assert.Equal(k, o);
        kernel.AssertSameRing(ours, 0);
    }

    // A callback that drains the same ring again: the inner drain finds the ring busy (-EBUSY), stored in the ctx.
    private const string NestedProgram = """
        *(u64 *)(r10 -8) = 0
        r1 = map[idx:0]
        r2 = subprog[cb]
        r3 = r10
        r3 += -8
        r4 = 0
        call bpf_user_ringbuf_drain
        *(u64 *)(r10 -16) = r0
        *(u32 *)(r10 -20) = 0
        r1 = map[idx:1]
        r2 = r10
        r2 += -20
        r3 = r10
        r3 += -16
        r4 = 0
        call bpf_map_update_elem
        *(u32 *)(r10 -20) = 1
        r1 = map[idx:1]
        r2 = r10
        r2 += -20
        r3 = r10
        r3 += -8
        r4 = 0
        call bpf_map_update_elem
        r0 = 0
        exit
        cb:
        r6 = r2
        r1 = map[idx:0]
        r2 = subprog[cb2]
        r3 = 0
        r4 = 0
        call bpf_user_ringbuf_drain
        *(u64 *)(r6 +0) = r0
        r0 = 0
        exit
        cb2:
        r0 = 0
        exit
        """;

    [SkippableFact]
    public void A_drain_nested_in_a_drain_callback_is_EBUSY_as_in_the_kernel()
    {
        Skip.IfNot(KernelBpf.IsAvailable, "needs bpf() as root");
        string[] funcs = ["global int main(struct __sk_buff *)", "static int cb(struct bpf_dynptr *, void *)", "static int cb2(struct bpf_dynptr *, void *)"];
        using var kernel = new Side(new KernelTarget(), NestedProgram, funcs);
        using var ours = new Side(new OurTarget(new BpfSystemOptions()), NestedProgram, funcs);
        for (int i = 0; i < 3; i++)
        {
            Assert.True(kernel.Produce(new byte[16], 5) >= 0);
            Assert.True(ours.Produce(new byte[16], 5) >= 0);
        }
        (ulong Ret, ulong Sum) k = kernel.Drain(), o = ours.Drain();
        Assert.Equal(k, o);
        Assert.Equal((3ul, unchecked((ulong)-Errno.EBUSY)), o);
        kernel.AssertSameRing(ours, 0);
    }

    [SkippableFact]
    public void Creation_mmap_and_commands_match_the_kernels()
    {
        Skip.IfNot(KernelBpf.IsAvailable, "needs bpf() as root");
        uint page = (uint)Environment.SystemPageSize;
        (uint Key, uint Value, uint Max, uint Flags)[] cases =
            [(0, 0, page, 0), (0, 0, 2 * page, 0), (0, 0, 3 * page, 0), (0, 0, page / 2, 0), (0, 0, 0, 0), (4, 0, page, 0),
             (0, 4, page, 0), (0, 0, page, MapFlags.BPF_F_NUMA_NODE), (0, 0, page, MapFlags.BPF_F_RDONLY),
             (0, 0, page, MapFlags.BPF_F_WRONLY), (0, 0, page, MapFlags.BPF_F_RDONLY_PROG), (0, 0, page, MapFlags.BPF_F_MMAPABLE),
             (0, 0, page, 1u << 19)];
        using var kernel = new KernelTarget();
        using var ours = new OurTarget();
        foreach (var (key, value, max, flags) in cases)
        {
            int k = kernel.CreateMap(BpfMapType.UserRingbuf, key, value, max, flags);
            int o = ours.CreateMap(BpfMapType.UserRingbuf, key, value, max, flags);
            Assert.True((k < 0 ? k : 0) == (o < 0 ? o : 0), $"({key}, {value}, {max}, 0x{flags:x}): kernel {k}, ours {o}");
            if (k > 0) kernel.Close(k);
            if (o > 0) ours.Close(o);
        }
        int kfd = kernel.CreateMap(BpfMapType.UserRingbuf, 0, 0, page), ofd = ours.CreateMap(BpfMapType.UserRingbuf, 0, 0, page);
        byte* buffer = stackalloc byte[16];
        foreach (IBpfTarget t in new IBpfTarget[] { kernel, ours })
        {
            int fd = t == kernel ? kfd : ofd;
            Assert.Equal(-Errno.ENOTSUPP, Elem(t, BpfCommand.MapLookupElem, fd, null, buffer + 8));
            Assert.Equal(-Errno.EINVAL, Elem(t, BpfCommand.MapLookupElem, fd, buffer, buffer + 8));
            Assert.Equal(-Errno.ENOTSUPP, Elem(t, BpfCommand.MapUpdateElem, fd, null, buffer + 8));
            Assert.Equal(-Errno.ENOTSUPP, Elem(t, BpfCommand.MapDeleteElem, fd, null, null));
            Assert.Equal(-Errno.ENOTSUPP, Elem(t, BpfCommand.MapGetNextKey, fd, null, buffer + 8));
            Assert.Equal(-Errno.ENOTSUPP, Elem(t, BpfCommand.MapLookupAndDeleteElem, fd, null, buffer + 8));
            Assert.Equal(0, t.MapInfo(fd, out BpfMapInfo info));
            Assert.Equal(((uint)BpfMapType.UserRingbuf, 0u, 0u, page), (info.Type, info.KeySize, info.ValueSize, info.MaxEntries));
        }
        // the kernel's mmap rules for a user ring buffer: the consumer page only read-only, the rest writable
        nint page0 = Environment.SystemPageSize;
        Assert.Equal(-Errno.EPERM, KernelMmapProbe.TryMap(page0, KernelMmap.PROT_READ | KernelMmap.PROT_WRITE, kfd, 0));
        Assert.Equal(0, KernelMmapProbe.TryMap(page0, KernelMmap.PROT_READ, kfd, 0));
        Assert.Equal(0, KernelMmapProbe.TryMap(page0 + 2 * page0, KernelMmap.PROT_READ | KernelMmap.PROT_WRITE, kfd, page0));
        kernel.Close(kfd);
        ours.Close(ofd);
    }

    private static int Elem(IBpfTarget t, BpfCommand cmd, int fd, byte* key, byte* value)
    {
        BpfAttr attr = default;
        attr.MapElem.MapFd = (uint)fd;
        attr.MapElem.Key = (ulong)key;
        attr.MapElem.Value = (ulong)value;
        return t.Bpf(cmd, ref attr);
    }

    /// <summary>One user ring (kernel or ours) and the draining program; produced into as libbpf does.</summary>
    private sealed class Side : IDisposable
    {
        private readonly IBpfTarget _target;
        private readonly int _ring, _results, _prog;
        private readonly ulong* _consumer, _producer;
        private readonly byte* _data;
        private readonly nint _consumerPage, _producerPages;
        private readonly BpfMap? _map;
        private readonly UserRingBufWriter? _writer;
        private readonly Dictionary<long, UserRingBufSample> _pending = [];

        public Side(IBpfTarget target, string program = Program, string[]? funcs = null)
        {
            _target = target;
            _ring = target.CreateMap(BpfMapType.UserRingbuf, 0, 0, RingSize);
            Assert.True(_ring > 0, $"{target.Name}: map create {_ring}");
            _results = target.CreateArray(2, 8);
            Assert.True(_results > 0, $"{target.Name}: array create {_results}");
            _prog = LoadWithFuncInfo(target, program, funcs ?? ["global int main(struct __sk_buff *)", "static int cb(struct bpf_dynptr *, void *)"],
                [_ring, _results], out string log);
            Assert.True(_prog > 0, $"{target.Name}: load {_prog}\n{log}");
            if (target is OurTarget o)
            {
                _map = BpfMap.FromFd(o.System, _ring);
                _writer = new UserRingBufWriter(_map);
                Assert.Equal(0, o.System.GetObject(_ring, out BpfSharp.Memory.BpfObject? obj));
                var ring = (UserRingBufMap)obj!;
                _consumer = (ulong*)ring.ConsumerPositionAddress;
                _producer = (ulong*)ring.ProducerPositionAddress;
                _data = (byte*)ring.DataAddress;
                obj!.Release(); // the writer holds the map
            }
            else
            {
                nint page = Environment.SystemPageSize;
                _consumerPage = KernelMmap.Map(page, KernelMmap.PROT_READ, _ring, 0);
                _producerPages = KernelMmap.Map(page + 2 * (nint)RingSize, KernelMmap.PROT_READ | KernelMmap.PROT_WRITE, _ring, page);
                _consumer = (ulong*)_consumerPage;
                _producer = (ulong*)_producerPages;
                _data = (byte*)_producerPages + page;
            }
        }

        // PROG_LOAD with the func_info a callback needs (the kernel refuses a subprog[] load without it)
        private static int LoadWithFuncInfo(IBpfTarget target, string program, string[] funcs, int[] fds, out string log)
        {
            Instruction[] insns = Assembler.Assemble(program);
            var btf = new BpfSharp.Tests.Verifier.Corpus.CaseBtf(funcs);
            (byte[] blob, uint[] funcInfo, uint count) = btf.Build(insns);
            int btfFd = target.LoadBtf(blob, out string btfLog);
            Assert.True(btfFd > 0, $"{target.Name}: btf load {btfFd}\n{btfLog}");
            byte[] logBuffer = new byte[65536];
            int rc;
            fixed (Instruction* ip = insns)
            fixed (byte* lic = "GPL\0"u8)
            fixed (uint* fi = funcInfo)
            fixed (int* fa = fds)
            fixed (byte* lp = logBuffer)
            {
                BpfAttr attr = default;
                attr.ProgLoad.ProgType = (uint)BpfProgType.SocketFilter;
                attr.ProgLoad.InsnCnt = (uint)insns.Length;
                attr.ProgLoad.Insns = (ulong)ip;
                attr.ProgLoad.License = (ulong)lic;
                attr.ProgLoad.FdArray = (ulong)fa;
                attr.ProgLoad.ProgBtfFd = (uint)btfFd;
                attr.ProgLoad.FuncInfo = (ulong)fi;
                attr.ProgLoad.FuncInfoCnt = count;
                attr.ProgLoad.FuncInfoRecSize = 8;
                attr.ProgLoad.LogLevel = 1;
                attr.ProgLoad.LogSize = (uint)logBuffer.Length;
                attr.ProgLoad.LogBuf = (ulong)lp;
                rc = target.Bpf(BpfCommand.ProgLoad, ref attr);
            }
            target.Close(btfFd);
            int end = Array.IndexOf(logBuffer, (byte)0);
            log = System.Text.Encoding.UTF8.GetString(logBuffer, 0, end < 0 ? logBuffer.Length : end);
            return rc;
        }

        /// <summary>
        /// Reserves a record of <paramref name="data"/> and fills it; <paramref name="how"/> 0-2 discards it, 3 leaves
        /// it busy, else submits it. The record's data offset (a handle for <see cref="Commit"/>), or -errno.
        /// </summary>
        public long Produce(byte[] data, int how)
        {
            byte* sample;
            if (_writer is not null)
            {
                int err = _writer.TryReserve(data.Length, out UserRingBufSample s);
                if (err < 0) return err;
                data.CopyTo(s.Data);
                sample = (byte*)System.Runtime.CompilerServices.Unsafe.AsPointer(
                    ref System.Runtime.InteropServices.MemoryMarshal.GetReference(s.Data)); // also for an empty sample
                _pending[sample - _data] = s;
            }
            else
            {
                // libbpf: user_ring_buffer__reserve
                ulong total = RingBufRecordHeader.SpaceFor((uint)data.Length);
                ulong cons = Volatile.Read(ref *_consumer), prod = Volatile.Read(ref *_producer);
                if (total > RingSize) return -Errno.E2BIG;
                if (RingSize - (prod - cons) < total) return -Errno.ENOSPC;
                byte* hdr = _data + (prod & (RingSize - 1));
                ((uint*)hdr)[0] = (uint)data.Length | RingBufRecordHeader.BusyBit;
                ((uint*)hdr)[1] = 0;
                Volatile.Write(ref *_producer, prod + total);
                sample = _data + ((prod + 8) & (RingSize - 1));
                data.CopyTo(new Span<byte>(sample, data.Length));
            }
            long handle = sample - _data;
            if (how != 3) Commit(handle, discard: how < 3);
            return handle;
        }

        /// <summary>Submits or discards the busy record at data offset <paramref name="handle"/>.</summary>
        public void Commit(long handle, bool discard)
        {
            if (_writer is not null)
            {
                UserRingBufSample sample = _pending[handle];
                _pending.Remove(handle);
                if (discard) _writer.Discard(sample);
                else _writer.Submit(sample);
                return;
            }
            uint* hdr = (uint*)(_data + ((handle - 8) & (RingSize - 1)));
            uint newLen = *hdr & ~RingBufRecordHeader.BusyBit;
            if (discard) newLen |= RingBufRecordHeader.DiscardBit;
            Interlocked.Exchange(ref *hdr, newLen);
        }

        /// <summary>Writes a record header at ring offset <paramref name="pos"/> directly (malformed records).</summary>
        public void WriteRaw(ulong pos, uint len, uint pad)
        {
            uint* hdr = (uint*)(_data + pos);
            hdr[1] = pad;
            hdr[0] = len;
        }

        /// <summary>Sets the producer position directly.</summary>
        public void SetProducer(ulong pos) => Volatile.Write(ref *_producer, pos);

        /// <summary>Runs the program: the drain's r0 and the callback's checksum.</summary>
        public (ulong Ret, ulong Sum) Drain()
        {
            Assert.Equal(0, _target.TestRun(_prog, new byte[64], out TestRunAttr result));
            Assert.Equal(0u, result.Retval);
            Assert.Equal(0, _target.Lookup(_results, 0, out ulong ret));
            Assert.Equal(0, _target.Lookup(_results, 1, out ulong sum));
            return (ret, sum);
        }

        /// <summary>Both positions and every data byte are the same as <paramref name="other"/>'s.</summary>
        public void AssertSameRing(Side other, int step)
        {
            Assert.True(*_consumer == *other._consumer, $"step {step}: consumer {*_consumer} vs {*other._consumer}");
            Assert.True(*_producer == *other._producer, $"step {step}: producer {*_producer} vs {*other._producer}");
            Assert.True(new ReadOnlySpan<byte>(_data, (int)RingSize).SequenceEqual(new ReadOnlySpan<byte>(other._data, (int)RingSize)),
                $"step {step}: the data differ");
        }

        public void Dispose()
        {
            if (_consumerPage != 0) KernelMmap.Unmap(_consumerPage, Environment.SystemPageSize);
            if (_producerPages != 0) KernelMmap.Unmap(_producerPages, Environment.SystemPageSize + 2 * (nint)RingSize);
            _writer?.Dispose();
            _target.Close(_prog);
            _target.Close(_results);
            if (_map is not null) _map.Dispose();
            else _target.Close(_ring);
            _target.Dispose();
        }
    }
}

/// <summary>mmap of a kernel map fd that reports the errno instead of asserting, unmapping at once on success.</summary>
internal static class KernelMmapProbe
{
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static extern nint Mmap(nint address, nint length, int prot, int flags, int fd, long offset);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "munmap", SetLastError = true)]
    private static extern int Munmap(nint address, nint length);

    /// <summary>0 if the mapping was made (then unmapped), else -errno.</summary>
    public static int TryMap(nint length, int prot, int fd, long offset)
    {
        nint p = Mmap(0, length, prot, KernelMmap.MAP_SHARED, fd, offset);
        if (p == -1) return -System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        Munmap(p, length);
        return 0;
    }
}
