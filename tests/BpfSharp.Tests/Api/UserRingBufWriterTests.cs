using System.Buffers.Binary;
using BpfSharp.Isa;
using BpfSharp.Maps.RingBuf;
using BpfSharp.Runtime;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Api;

/// <summary>
/// <see cref="UserRingBufWriter"/> (libbpf's user_ring_buffer__reserve / submit / discard semantics: the record
/// header with BPF_RINGBUF_BUSY_BIT and BPF_RINGBUF_DISCARD_BIT, 8-byte rounding, the producer position, -E2BIG and
/// -ENOSPC) and bpf_user_ringbuf_drain (kernel/bpf/ringbuf.c: samples in order, discarded ones skipped and not
/// counted, a busy one ends the drain, a callback returning 1 stops it after that sample, flags other than the
/// wakeup flags are -EINVAL) on both engines, verified and in checked mode. The expected values follow from those
/// documented rules and the data written; UserRingBufKernelDifferentialTests compares the same with the live kernel.
/// </summary>
public class UserRingBufWriterTests
{
    private const uint RingSize = 4096;

    // Drains map 0; ctx fp-16 = { checksum, samples seen }. The checksum folds each sample's first 8 bytes (0 for a
    // shorter sample); a first u64 of 0xdead stops the drain. Map 1 (array of 3 u64): drain r0, checksum, count.
    private static string DrainProgram(ulong flags = 0) => $$"""
        *(u64 *)(r10 -8) = 0
        *(u64 *)(r10 -16) = 0
        r1 = map[idx:0]
        r2 = subprog[cb]
        r3 = r10
        r3 += -16
        r4 = {{flags}}
        call bpf_user_ringbuf_drain
        *(u64 *)(r10 -24) = r0
        r1 = 0
        r2 = r10
        r2 += -24
        call store
        r1 = 1
        r2 = r10
        r2 += -16
        call store
        r1 = 2
        r2 = r10
        r2 += -8
        call store
        r0 = 0
        exit
        store:
        *(u32 *)(r10 -4) = r1
        r3 = r2
        r1 = map[idx:1]
        r2 = r10
        r2 += -4
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
        r1 = *(u64 *)(r7 +0)
        r1 *= 31
        r2 = *(u64 *)(r10 -8)
        r1 += r2
        *(u64 *)(r7 +0) = r1
        r1 = *(u64 *)(r7 +8)
        r1 += 1
        *(u64 *)(r7 +8) = r1
        r0 = 0
        if r2 != 0xdead goto out
        r0 = 1
        out:
        exit
        """;

    public static TheoryData<ExecutionEngine, bool> Engines() => new()
    {
        { ExecutionEngine.Jit, true },
        { ExecutionEngine.Interpreter, true },
        { ExecutionEngine.Jit, false },
        { ExecutionEngine.Interpreter, false },
    };

    [Theory]
    [MemberData(nameof(Engines))]
    public void A_drain_hands_over_submitted_samples_in_order_and_skips_discarded_ones(ExecutionEngine engine, bool verify)
    {
        using var rig = new Rig(engine, verify);
        ulong expected = 0;
        for (int i = 0; i < 10; i++)
        {
            byte[] data = Sample(i, 3 + 5 * i);
            if (i % 3 == 1)
            {
                UserRingBufSample s = rig.Writer.Reserve(data.Length);
                data.CopyTo(s.Data);
                rig.Writer.Discard(s);
                continue;
            }
            Assert.Equal(0, rig.Writer.Write(data));
            expected = expected * 31 + First8(data);
        }
        Assert.Equal((7ul, expected, 7ul), rig.Drain());
        Assert.Equal(rig.Writer.ProducerPosition, rig.Writer.ConsumerPosition); // discarded records consumed too
        Assert.Equal((0ul, 0ul, 0ul), rig.Drain());
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void A_callback_returning_1_stops_the_drain_after_its_sample(ExecutionEngine engine, bool verify)
    {
        using var rig = new Rig(engine, verify);
        byte[] stop = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(stop, 0xdead);
        byte[] a = Sample(1, 16), b = Sample(2, 16);
        Assert.Equal(0, rig.Writer.Write(a));
        Assert.Equal(0, rig.Writer.Write(stop));
        Assert.Equal(0, rig.Writer.Write(b));
        Assert.Equal((2ul, First8(a) * 31 + 0xdead, 2ul), rig.Drain());
        Assert.Equal((1ul, First8(b), 1ul), rig.Drain());
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void A_busy_record_ends_the_drain_until_it_is_submitted(ExecutionEngine engine, bool verify)
    {
        using var rig = new Rig(engine, verify);
        byte[] a = Sample(1, 8), b = Sample(2, 9), c = Sample(3, 10);
        Assert.Equal(0, rig.Writer.Write(a));
        UserRingBufSample busy = rig.Writer.Reserve(b.Length);
        b.CopyTo(busy.Data);
        Assert.Equal(0, rig.Writer.Write(c));
        Assert.Equal((1ul, First8(a), 1ul), rig.Drain());
        rig.Writer.Submit(busy);
        Assert.Equal((2ul, First8(b) * 31 + First8(c), 2ul), rig.Drain());
    }

    [Theory]
    [InlineData(0ul, 1L)]
    [InlineData(RingBufFlags.BPF_RB_NO_WAKEUP, 1L)]
    [InlineData(RingBufFlags.BPF_RB_FORCE_WAKEUP, 1L)]
    [InlineData(4ul, -Errno.EINVAL)]
    [InlineData(RingBufFlags.BPF_RB_FORCE_WAKEUP | 8, -Errno.EINVAL)]
    public void Drain_flags_are_the_wakeup_flags_only(ulong flags, long result)
    {
        using var rig = new Rig(ExecutionEngine.Jit, verify: true, DrainProgram(flags));
        Assert.Equal(0, rig.Writer.Write(Sample(1, 8)));
        Assert.Equal(result, (long)rig.Drain().Ret);
    }

    [Fact]
    public void Samples_that_wrap_around_the_ring_end_are_contiguous()
    {
        using var rig = new Rig(ExecutionEngine.Jit, verify: true);
        for (int round = 0; round < 40; round++)
        {
            var expected = 0ul;
            int count = 0;
            while (true)
            {
                byte[] data = Sample(round * 7 + count, 40 + (round * 13 + count * 5) % 200);
                if (rig.Writer.Write(data) < 0) break;
                expected = expected * 31 + First8(data);
                count++;
            }
            Assert.Equal(((ulong)count, expected, (ulong)count), rig.Drain());
        }
        Assert.True(rig.Writer.ConsumerPosition > 8 * RingSize); // wrapped many times
    }

    [Fact]
    public unsafe void Reserve_writes_a_busy_header_and_moves_the_producer_position_by_the_rounded_size()
    {
        using var rig = new Rig(ExecutionEngine.Jit, verify: true);
        var ring = rig.Ring;
        byte* data = (byte*)ring.DataAddress;
        UserRingBufSample s = rig.Writer.Reserve(13);
        Assert.Equal(13, s.Length);
        Assert.Equal(13u | RingBufRecordHeader.BusyBit, ((uint*)data)[0]);
        Assert.Equal(0u, ((uint*)data)[1]);
        Assert.Equal(24ul, rig.Writer.ProducerPosition); // 8 + 13 rounded up to 8
        Assert.Equal(RingSize - 24, rig.Writer.AvailableBytes);
        rig.Writer.Discard(s);
        Assert.Equal(13u | RingBufRecordHeader.DiscardBit, ((uint*)data)[0]);
        Assert.Throws<InvalidOperationException>(() => rig.Writer.Submit(s));
        UserRingBufSample t = rig.Writer.Reserve(0);
        rig.Writer.Submit(t);
        Assert.Equal(0u, ((uint*)data)[6]);
        Assert.Equal(32ul, rig.Writer.ProducerPosition);
    }

    [Theory]
    [InlineData(1 << 30, -Errno.E2BIG)]                      // uses the discard bit
    [InlineData(int.MinValue, -Errno.E2BIG)]                 // uses the busy bit
    [InlineData((int)RingSize - 8, 0)]                       // exactly the ring
    [InlineData((int)RingSize - 7, -Errno.E2BIG)]            // over the ring once rounded up
    public void Reservations_larger_than_the_ring_are_E2BIG(int size, int errno)
    {
        using var rig = new Rig(ExecutionEngine.Jit, verify: true);
        Assert.Equal(errno, rig.Writer.TryReserve(size, out _));
    }

    [Fact]
    public async Task A_full_ring_is_ENOSPC_until_a_drain_frees_room()
    {
        using var rig = new Rig(ExecutionEngine.Jit, verify: true);
        for (int i = 0; i < 4; i++)
            Assert.Equal(0, rig.Writer.Write(new byte[1016])); // 1024 bytes each
        Assert.Equal(0ul, rig.Writer.AvailableBytes);
        Assert.Equal(-Errno.ENOSPC, rig.Writer.TryReserve(0, out _));
        Assert.Equal(-Errno.ENOSPC, rig.Writer.TryReserve(0, 0, out _));
        Task<int> waiting = Task.Run(() => rig.Writer.TryReserve(100, -1, out _));
        Assert.Equal(4ul, rig.Drain().Ret);
        Assert.Equal(0, await waiting.WaitAsync(TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void A_writer_needs_a_user_ring_buffer_without_another_producer()
    {
        using var system = new BpfSystem();
        using BpfMap ringbuf = BpfMap.Create(system, BpfMapType.Ringbuf, 0, 0, RingSize);
        Assert.Equal(Errno.EINVAL, Assert.Throws<BpfException>(() => new UserRingBufWriter(ringbuf)).Errno);
        using BpfMap user = BpfMap.Create(system, BpfMapType.UserRingbuf, 0, 0, RingSize);
        using (new UserRingBufWriter(user))
            Assert.Equal(Errno.EBUSY, Assert.Throws<BpfException>(() => new UserRingBufWriter(user)).Errno);
        using var again = new UserRingBufWriter(user); // the first one detached
        Assert.Equal(RingSize, again.DataSize);
    }

    private static byte[] Sample(int seed, int length)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    private static ulong First8(byte[] data) => data.Length < 8 ? 0 : BinaryPrimitives.ReadUInt64LittleEndian(data);

    /// <summary>A system, a 4 KiB user ring buffer with its writer, the result array and the loaded drain program.</summary>
    private sealed class Rig : IDisposable
    {
        private readonly BpfSystem _system;
        private readonly BpfMap _ring, _results;
        private readonly BpfProgram _program;
        private readonly BpfBtf _btf;

        public Rig(ExecutionEngine engine, bool verify, string? program = null)
        {
            _system = new BpfSystem(new BpfSystemOptions { Engine = engine, Verify = verify });
            _ring = BpfMap.Create(_system, BpfMapType.UserRingbuf, 0, 0, RingSize);
            _results = BpfMap.Create(_system, BpfMapType.Array, 4, 8, 3);
            Writer = new UserRingBufWriter(_ring);
            Instruction[] insns = Assembler.Assemble(program ?? DrainProgram());
            int[] fds = [_ring.Fd, _results.Fd];
            for (int i = 0; i < insns.Length; i++)
            {
                Instruction x = insns[i];
                if (x.Src == Opcodes.BPF_PSEUDO_MAP_IDX && x.Opcode == (Opcodes.BPF_LD | Opcodes.BPF_IMM | Opcodes.BPF_DW))
                    insns[i] = new Instruction(x.Opcode, x.Dst, Opcodes.BPF_PSEUDO_MAP_FD, x.Offset, fds[x.Imm]);
            }
            var funcs = new BpfSharp.Tests.Verifier.Corpus.CaseBtf(
                ["global int main(struct __sk_buff *)", "static int store(int, void *)", "static int cb(struct bpf_dynptr *, void *)"]);
            (byte[] blob, uint[] funcInfo, uint count) = funcs.Build(insns);
            _btf = BpfBtf.Load(_system, blob);
            var infos = new List<BpfSharp.Elf.Btf.BtfFuncInfo>();
            for (int i = 0; i < count; i++)
                infos.Add(new((int)funcInfo[2 * i], funcInfo[2 * i + 1]));
            _program = BpfProgram.Load(_system, BpfProgType.SocketFilter, insns, new BpfProgramOptions { Btf = _btf, FuncInfo = infos });
            Assert.Equal(0, _system.GetObject(_ring.Fd, out BpfSharp.Memory.BpfObject? obj));
            Ring = (UserRingBufMap)obj!;
            obj!.Release();
        }

        public UserRingBufWriter Writer { get; }

        public UserRingBufMap Ring { get; }

        /// <summary>Runs the program: the drain's r0, the checksum and the number of callbacks.</summary>
        public (ulong Ret, ulong Sum, ulong Count) Drain()
        {
            Assert.Equal(0u, _program.TestRun(new byte[64]).Retval);
            return (Read(0), Read(1), Read(2));
        }

        private ulong Read(uint key)
        {
            byte[] value = new byte[8];
            Assert.True(_results.TryLookup(BitConverter.GetBytes(key), value));
            return BitConverter.ToUInt64(value);
        }

        public void Dispose()
        {
            Writer.Dispose();
            _program.Dispose();
            _btf.Dispose();
            _results.Dispose();
            _ring.Dispose();
            _system.Dispose();
        }
    }
}
