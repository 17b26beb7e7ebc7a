using BpfSharp.Isa;
using BpfSharp.Tests.Runtime.Engines;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Runtime.Helpers;

/// <summary>
/// The local dynptr helpers called from programs on every engine of the matrix, checked and unchecked, over the
/// harness memory: a dynptr over its first 32 bytes, then reads, writes and slices inside and past its end. Expected
/// values from kernel/bpf/helpers.c: memmove within the view, -E2BIG past its end, NULL slices past it.
/// </summary>
public class DynptrEngineTests
{
    public static TheoryData<string, string, string> Rows() => EngineMatrix.Rows(["dynptr"]);

    // r6 = mem (bytes 0..63 hold i); results from mem+64 on
    private const string Program = """
        r6 = r1
        r2 = 32
        r3 = 0
        r4 = r10
        r4 += -16
        call bpf_dynptr_from_mem
        *(u64 *)(r6 +64) = r0
        r1 = r10
        r1 += -24
        r2 = 8
        r3 = r10
        r3 += -16
        r4 = 4
        r5 = 0
        call bpf_dynptr_read
        *(u64 *)(r6 +72) = r0
        r1 = *(u64 *)(r10 -24)
        *(u64 *)(r6 +80) = r1
        r1 = r10
        r1 += -16
        r2 = 24
        r3 = r6
        r3 += 40
        r4 = 8
        r5 = 0
        call bpf_dynptr_write
        *(u64 *)(r6 +88) = r0
        r1 = r10
        r1 += -16
        r2 = 25
        r3 = r6
        r4 = 8
        r5 = 0
        call bpf_dynptr_write
        *(u64 *)(r6 +96) = r0
        r1 = r10
        r1 += -16
        r2 = 8
        r3 = 8
        call bpf_dynptr_data
        r0 -= r6
        *(u64 *)(r6 +104) = r0
        r1 = r10
        r1 += -16
        r2 = 30
        r3 = 4
        call bpf_dynptr_data
        *(u64 *)(r6 +112) = r0
        r0 = 0
        exit
        """;

    [Theory]
    [MemberData(nameof(Rows))]
    public void Dynptr_helpers_read_write_and_slice_the_view(string engine, string mode, string name)
    {
        Assert.Equal("dynptr", name);
        using var h = new HelperHarness();
        for (int i = 0; i < 64; i++) h.Memory.Span[i] = (byte)i;
        Assert.Equal(0UL, h.Run(engine, mode == EngineMatrix.Checked, Assembler.Assemble(Program)));
        Assert.Equal(0UL, h.U64(64)); // bpf_dynptr_from_mem
        Assert.Equal(0UL, h.U64(72)); // bpf_dynptr_read of bytes 4..11
        Assert.Equal(0x0B0A090807060504UL, h.U64(80));
        Assert.Equal(0UL, h.U64(88)); // bpf_dynptr_write of bytes 40..47 to 24..31
        Assert.Equal(0x2F2E2D2C2B2A2928UL, h.U64(24));
        Assert.Equal(unchecked((ulong)-Errno.E2BIG), h.U64(96)); // 25 + 8 > 32
        Assert.Equal(0x2F2E2D2C2B2A2928UL, h.U64(24)); // untouched
        Assert.Equal(8UL, h.U64(104)); // the slice at offset 8
        Assert.Equal(0UL, h.U64(112)); // 30 + 4 > 32: NULL
    }
}
