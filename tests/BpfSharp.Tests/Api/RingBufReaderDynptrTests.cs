using BpfSharp.Isa;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Api;

/// <summary>
/// Records produced through ring buffer dynptrs (bpf_ringbuf_reserve_dynptr, bpf_dynptr_write, bpf_dynptr_data,
/// bpf_ringbuf_submit_dynptr / discard_dynptr) and read with <see cref="RingBufReader"/>, verified and in checked mode;
/// checked mode refuses to submit a forged dynptr.
/// </summary>
public class RingBufReaderDynptrTests
{
    // A 12-byte record: 0x1122334455667788 written at 0 through bpf_dynptr_write, 0xa0b0c0d0 at 8 through a slice; a
    // second reservation (4 bytes) discarded. r0: the first reservation's result.
    private const string Program = """
        r1 = map[idx:0]
        r2 = 12
        r3 = 0
        r4 = r10
        r4 += -16
        call bpf_ringbuf_reserve_dynptr
        r6 = r0
        r1 = 0x1122334455667788 ll
        *(u64 *)(r10 -24) = r1
        r1 = r10
        r1 += -16
        r2 = 0
        r3 = r10
        r3 += -24
        r4 = 8
        r5 = 0
        call bpf_dynptr_write
        r1 = r10
        r1 += -16
        r2 = 8
        r3 = 4
        call bpf_dynptr_data
        if r0 == 0x0 goto submit
        *(u32 *)(r0 +0) = 0xa0b0c0d0
        submit:
        r1 = r10
        r1 += -16
        r2 = 0
        call bpf_ringbuf_submit_dynptr
        r1 = map[idx:0]
        r2 = 4
        r3 = 0
        r4 = r10
        r4 += -16
        call bpf_ringbuf_reserve_dynptr
        r1 = r10
        r1 += -16
        r2 = 0
        call bpf_ringbuf_discard_dynptr
        r0 = r6
        exit
        """;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_program_produces_a_record_through_a_dynptr(bool verify)
    {
        using var system = new BpfSystem(new BpfSystemOptions { Verify = verify });
        using BpfMap map = BpfMap.Create(system, BpfMapType.Ringbuf, 0, 0, 4096);
        using BpfProgram program = Load(system, map, Program);
        var seen = new List<byte[]>();
        using var reader = new RingBufReader(map, r => seen.Add(r.ToArray()));
        Assert.Equal(0u, program.TestRun(new byte[64]).Retval);
        Assert.Equal(1, reader.Consume()); // the discarded record is skipped
        Assert.Equal([0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0xd0, 0xc0, 0xb0, 0xa0], seen[0]);
        Assert.Equal(0ul, reader.AvailableBytes);
    }

    [Fact]
    public void Checked_mode_refuses_to_submit_a_forged_dynptr()
    {
        using var system = new BpfSystem(new BpfSystemOptions { Verify = false });
        using BpfMap map = BpfMap.Create(system, BpfMapType.Ringbuf, 0, 0, 4096);
        // a "dynptr" whose data is the stack itself, of type ringbuf and 8 bytes
        using BpfProgram program = Load(system, map, """
            r1 = r10
            r1 += -32
            *(u64 *)(r10 -16) = r1
            r1 = 0x20000008
            *(u32 *)(r10 -8) = r1
            *(u32 *)(r10 -4) = 0
            r1 = r10
            r1 += -16
            r2 = 0
            call bpf_ringbuf_submit_dynptr
            r0 = 0
            exit
            """);
        Exception e = Assert.ThrowsAny<Exception>(() => program.TestRun(new byte[64]));
        Assert.Contains("EFAULT", e.Message, StringComparison.Ordinal); // the helper faulted the run
    }

    private static BpfProgram Load(BpfSystem system, BpfMap map, string text)
    {
        Instruction[] insns = Assembler.Assemble(text);
        for (int i = 0; i < insns.Length; i++) // map[idx:0] -> the map's fd
        {
            Instruction x = insns[i];
            if (x.Src == Opcodes.BPF_PSEUDO_MAP_IDX && x.Opcode == (Opcodes.BPF_LD | Opcodes.BPF_IMM | Opcodes.BPF_DW))
                insns[i] = new Instruction(x.Opcode, x.Dst, Opcodes.BPF_PSEUDO_MAP_FD, x.Offset, map.Fd);
        }
        return BpfProgram.Load(system, BpfProgType.SocketFilter, insns, "GPL");
    }
}
