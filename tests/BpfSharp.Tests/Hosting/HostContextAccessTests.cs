using BpfSharp.Hosting;
using BpfSharp.Uapi;
using static BpfSharp.Tests.Hosting.HostingKit;

namespace BpfSharp.Tests.Hosting;

/// <summary>
/// The verifier's context rules for a host type (kernel: is_valid_access): loads inside declared fields, whole or in
/// aligned power-of-two parts; stores only whole and only into writable fields; nothing outside the fields. Refusals
/// carry the kernel's message and EACCES.
/// </summary>
public class HostContextAccessTests
{
    // RequestContext: Length u32 @0 ro, Verdict u32 @4 rw, Id u64 @8 ro, HostCookie @16 hidden, Port u16 @24 ro, padding 26..31.
    public static TheoryData<string, int, int, bool> Accesses => new()
    {
        // access, offset, size, accepted
        { "read", 0, 4, true },      // Length whole
        { "read", 0, 2, true },      // narrow: low half
        { "read", 2, 2, true },      // narrow: high half
        { "read", 3, 1, true },      // narrow: last byte
        { "read", 2, 4, false },     // misaligned narrow load
        { "read", 1, 2, false },     // misaligned narrow load
        { "read", 0, 8, false },     // spans Length and Verdict
        { "read", 4, 4, true },      // a writable field is readable
        { "read", 8, 8, true },      // Id whole
        { "read", 12, 4, true },     // Id high half
        { "read", 16, 8, false },    // hidden field
        { "read", 20, 4, false },    // inside the hidden field
        { "read", 24, 2, true },     // Port
        { "read", 24, 4, false },    // wider than Port
        { "read", 26, 2, false },    // padding
        { "read", 32, 4, false },    // past the end
        { "read", -4, 4, false },    // before the start
        { "write", 4, 4, true },     // Verdict whole
        { "write", 4, 2, false },    // no narrow stores
        { "write", 6, 2, false },
        { "write", 0, 4, false },    // read-only field
        { "write", 8, 8, false },
        { "write", 16, 8, false },   // hidden
        { "write", 28, 4, false },   // padding
    };

    [Theory]
    [MemberData(nameof(Accesses))]
    public void Context_access_is_checked_against_the_declared_fields(string access, int offset, int size, bool accepted)
    {
        using BpfSystem system = NewSystem(out BpfProgType type);
        string width = size switch { 1 => "u8", 2 => "u16", 4 => "u32", _ => "u64" };
        string sign = offset < 0 ? "-" : "+";
        string insn = access == "read"
            ? $"r0 = *({width} *)(r1 {sign} {Math.Abs(offset)})"
            : $"r2 = 1\n*({width} *)(r1 {sign} {Math.Abs(offset)}) = r2";
        (int errno, string message) = LoadError(system, type, insn + "\nr0 = 0\nexit");
        if (accepted)
        {
            Assert.Equal((0, ""), (errno, message));
            return;
        }
        Assert.Equal(Errno.EACCES, errno);
        Assert.Contains($"invalid bpf_context access off={offset} size={size}", message);
    }

    [Fact]
    public void The_return_range_is_enforced_at_exit()
    {
        using BpfSystem system = NewSystem(out BpfProgType type, b => b.ReturnRange(0, 1));
        Assert.Equal((0, ""), LoadError(system, type, "r0 = 1\nexit"));
        (int errno, string message) = LoadError(system, type, "r0 = 2\nexit");
        Assert.Equal(Errno.EINVAL, errno);
        Assert.Contains("At program exit the register R0 has smin=2 smax=2 should have been in [0, 1]", message);
    }

    [Fact]
    public void Fields_come_from_the_struct_with_writable_and_hidden_attributes()
    {
        HostProgramType t = HostProgramTypeBuilder.For<RequestContext>("request").Build();
        Assert.Equal(32, t.ContextSize);
        Assert.Equal(
            ["Length@0/4 ro", "Verdict@4/4 rw", "Id@8/8 ro", "Port@24/2 ro"],
            t.Fields.Select(f => f.ToString()));
        Assert.True(t.HasWritableFields);
    }

    public unsafe struct WithBuffer
    {
        public uint Flags;
        public fixed uint Cb[3];
        public Inner Nested;
    }

    public struct Inner
    {
        public ushort A;
        public ushort B;
    }

    [Fact]
    public void Fixed_buffers_are_one_field_per_element_and_nested_structs_are_flattened()
    {
        HostProgramType t = HostProgramTypeBuilder.For<WithBuffer>("buffers").Writable("Cb").Build();
        Assert.Equal(
            ["Flags@0/4 ro", "Cb[0]@4/4 rw", "Cb[1]@8/4 rw", "Cb[2]@12/4 rw", "Nested.A@16/2 ro", "Nested.B@18/2 ro"],
            t.Fields.Select(f => f.ToString()));
    }

    public static TheoryData<string> BadFields => new()
    {
        "size", "outside", "overlap", "negative",
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public void Invalid_fields_are_refused_when_described(string fault)
    {
        var b = new HostProgramTypeBuilder("t", 16).Field("a", 0, 4);
        Action add = fault switch
        {
            "size" => () => b.Field("b", 4, 3),
            "outside" => () => b.Field("b", 12, 8),
            "overlap" => () => b.Field("b", 2, 2),
            _ => () => b.Field("b", -4, 4),
        };
        Assert.Throws<ArgumentException>(add);
    }

    public struct WithBool
    {
        public bool Flag;
        public int Value;
    }

    [Fact]
    public void A_field_without_a_fixed_native_layout_is_refused() =>
        Assert.Throws<ArgumentException>(() => HostProgramTypeBuilder.For<WithBool>("bools"));
}
