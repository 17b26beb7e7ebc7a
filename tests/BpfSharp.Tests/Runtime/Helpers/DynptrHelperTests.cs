using BpfSharp.Runtime;
using BpfSharp.Runtime.Helpers;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Runtime.Helpers;

/// <summary>
/// The local dynptr helpers called directly, for what a verified program cannot reach: the struct bpf_dynptr_kern
/// layout (kernel include/linux/bpf.h: data, then size with the type in bits 28-30 and the read-only flag in bit 31,
/// then offset), bpf_dynptr_from_mem's size limit (DYNPTR_MAX_SIZE = 2^24 - 1, -E2BIG, checked before the flags) and
/// a read-only dynptr (kernel/bpf/helpers.c: writes -EINVAL, bpf_dynptr_data NULL, reads allowed). Runs outside a
/// program: unchecked, as for a verified program.
/// </summary>
public unsafe class DynptrHelperTests
{
    private static ulong Call(BpfHelper f, ulong r1 = 0, ulong r2 = 0, ulong r3 = 0, ulong r4 = 0, ulong r5 = 0) =>
        f(new RunContext(), r1, r2, r3, r4, r5);

    [Theory]
    [InlineData(0u, 0L)]
    [InlineData(16u, 0L)]
    [InlineData(0xFFFFFFu, 0L)]
    [InlineData(0x1000000u, -Errno.E2BIG)]
    [InlineData(0xFFFFFFFFu, -Errno.E2BIG)]
    public void From_mem_accepts_sizes_up_to_the_24_bit_limit(uint size, long expected)
    {
        byte* data = stackalloc byte[8];
        byte* ptr = stackalloc byte[DynptrKern.Size];
        new Span<byte>(ptr, DynptrKern.Size).Fill(0xAA);
        long rc = (long)Call(DynptrHelpers.DynptrFromMem, (ulong)data, size, 0, (ulong)ptr);
        Assert.Equal(expected, rc);
        if (expected != 0)
        {
            Assert.True(new Span<byte>(ptr, DynptrKern.Size).IndexOfAnyExcept((byte)0) < 0, "a failed dynptr is all zeros");
            return;
        }
        Assert.Equal((ulong)data, *(ulong*)ptr);
        Assert.Equal((1u << 28) | size, *(uint*)(ptr + 8)); // BPF_DYNPTR_TYPE_LOCAL in bits 28-30
        Assert.Equal(0u, *(uint*)(ptr + 12));
    }

    [Fact]
    public void From_mem_checks_the_size_before_the_flags_and_takes_the_low_32_bits_of_the_size()
    {
        byte* data = stackalloc byte[8];
        byte* ptr = stackalloc byte[DynptrKern.Size];
        Assert.Equal(-Errno.E2BIG, (long)Call(DynptrHelpers.DynptrFromMem, (ulong)data, 0x1000000, 1, (ulong)ptr));
        Assert.Equal(-Errno.EINVAL, (long)Call(DynptrHelpers.DynptrFromMem, (ulong)data, 8, 1, (ulong)ptr));
        Assert.Equal(0UL, *(ulong*)ptr);
        Assert.Equal(0L, (long)Call(DynptrHelpers.DynptrFromMem, (ulong)data, 0x1_0000_0008, 0, (ulong)ptr));
        Assert.Equal(8u, DynptrKern.Length(ptr));
    }

    [Fact]
    public void A_read_only_dynptr_can_be_read_but_not_written_or_sliced()
    {
        byte* data = stackalloc byte[16];
        for (int i = 0; i < 16; i++) data[i] = (byte)i;
        byte* ptr = stackalloc byte[DynptrKern.Size];
        DynptrKern.Init(ptr, data, BpfDynptrType.Local, 4, 8);
        *(uint*)(ptr + 8) |= DynptrKern.RdonlyBit;
        Assert.True(DynptrKern.IsRdonly(ptr));
        Assert.Equal(BpfDynptrType.Local, DynptrKern.Type(ptr));
        Assert.Equal(8u, DynptrKern.Length(ptr));
        ulong dst = 0;
        Assert.Equal(0L, (long)Call(DynptrHelpers.DynptrRead, (ulong)&dst, 8, (ulong)ptr, 0, 0));
        Assert.Equal(0x0B0A090807060504UL, dst); // offset 4 of the memory
        ulong src = ulong.MaxValue;
        Assert.Equal(-Errno.EINVAL, (long)Call(DynptrHelpers.DynptrWrite, (ulong)ptr, 0, (ulong)&src, 8, 0));
        Assert.Equal(0UL, Call(DynptrHelpers.DynptrData, (ulong)ptr, 0, 8));
        Assert.Equal((byte)4, data[4]);
    }

    [Fact]
    public void The_offset_field_shifts_the_view()
    {
        byte* data = stackalloc byte[16];
        byte* ptr = stackalloc byte[DynptrKern.Size];
        DynptrKern.Init(ptr, data, BpfDynptrType.Local, 4, 8);
        Assert.Equal((ulong)(data + 6), Call(DynptrHelpers.DynptrData, (ulong)ptr, 2, 6));
        Assert.Equal(0UL, Call(DynptrHelpers.DynptrData, (ulong)ptr, 2, 7));
        ulong src = 0x1122334455667788;
        Assert.Equal(-Errno.E2BIG, (long)Call(DynptrHelpers.DynptrWrite, (ulong)ptr, 1, (ulong)&src, 8, 0));
        Assert.Equal(0L, (long)Call(DynptrHelpers.DynptrWrite, (ulong)ptr, 0, (ulong)&src, 8, 0));
        Assert.Equal(src, *(ulong*)(data + 4));
    }
}
