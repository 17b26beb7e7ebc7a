using System.Runtime.InteropServices;
using BpfSharp.Hosting;
using BpfSharp.Runtime;
using BpfSharp.Uapi;
using static BpfSharp.Tests.Hosting.HostingKit;

namespace BpfSharp.Tests.Hosting;

/// <summary>
/// Helpers a host implements in C#: prototypes read from [HostHelper] signatures or given with a delegate, calls
/// checked by the verifier against them (memory + size pairs, fixed-size memory, scalars), the values that reach the
/// C# code, and the kernel's refusals of helpers a type does not offer.
/// </summary>
public class HostHelperTests
{
    [StructLayout(LayoutKind.Sequential)]
    private struct Pair
    {
        public uint A;
        public uint B;
    }

    private sealed class Helpers
    {
        public byte[] Seen = [];

        [HostHelper(1000, Name = "host_sum")]
        public long Sum(ReadOnlySpan<byte> data)
        {
            Seen = data.ToArray();
            long sum = 0;
            foreach (byte b in data) sum += b;
            return sum;
        }

        [HostHelper(1001)]
        public ulong Mix(uint low, ulong high) => ((ulong)low << 32) | (high & 0xffff_ffff);

        [HostHelper(1002)]
        public void Fill(Span<byte> buffer) => buffer.Fill(0xab);

        [HostHelper(1003)]
        private static int Negate(int value) => -value;

        [HostHelper(1004)]
        public static bool AddPair(in Pair pair, out ulong sum, RunContext run)
        {
            sum = pair.A + (ulong)pair.B;
            return run.IsRunning;
        }
    }

    private static BpfSystem WithHelpers(out BpfProgType type, Helpers helpers) =>
        NewSystem(out type, b => b.AddHelpers(helpers));

    [Fact]
    public void Prototypes_are_read_from_the_signatures()
    {
        HostProgramType t = HostProgramTypeBuilder.For<RequestContext>("r").AddHelpers(new Helpers()).Build();
        HelperArgType fixed8 = HelperArgType.ARG_PTR_TO_FIXED_SIZE_MEM.WithSize(8);
        (string, HelperReturnType, HelperArgType[])[] expected =
        [
            ("host_sum", HelperReturnType.RET_INTEGER, [HelperArgType.ARG_PTR_TO_MEM | BpfTypeFlag.MEM_RDONLY, HelperArgType.ARG_CONST_SIZE_OR_ZERO]),
            ("Mix", HelperReturnType.RET_INTEGER, [HelperArgType.ARG_ANYTHING, HelperArgType.ARG_ANYTHING]),
            ("Fill", HelperReturnType.RET_VOID, [HelperArgType.ARG_PTR_TO_MEM | BpfTypeFlag.MEM_WRITE, HelperArgType.ARG_CONST_SIZE_OR_ZERO]),
            ("Negate", HelperReturnType.RET_INTEGER, [HelperArgType.ARG_ANYTHING]),
            ("AddPair", HelperReturnType.RET_INTEGER, [fixed8 | BpfTypeFlag.MEM_RDONLY, fixed8 | BpfTypeFlag.MEM_UNINIT | BpfTypeFlag.MEM_WRITE]),
        ];
        Assert.Equal([1000, 1001, 1002, 1003, 1004], t.Helpers.Select(h => h.Id));
        for (int i = 0; i < expected.Length; i++)
        {
            HelperPrototype p = t.Helpers[i].Prototype;
            Assert.Equal(expected[i].Item1, p.Name);
            Assert.Equal(expected[i].Item2, p.Return);
            Assert.Equal(expected[i].Item3, p.Args[..p.ArgCount].ToArray());
        }
    }

    [Fact]
    public void A_span_helper_sees_the_programs_stack_bytes()
    {
        var helpers = new Helpers();
        using BpfSystem system = WithHelpers(out BpfProgType type, helpers);
        using BpfProgram program = Load(system, type, """
            r2 = 0x0403020100000000 ll
            *(u64 *)(r10 - 8) = r2
            r1 = r10
            r1 += -8
            r2 = 8
            call 1000
            exit
            """);
        Assert.Equal(10u, program.TestRun([], default, new byte[32], default).Retval);
        Assert.Equal([0, 0, 0, 0, 1, 2, 3, 4], helpers.Seen);
    }

    [Fact]
    public void Scalars_are_converted_as_C_converts_them_and_results_widened()
    {
        using BpfSystem system = WithHelpers(out BpfProgType type, new Helpers());
        using BpfProgram mix = Load(system, type, """
            r1 = 0x1122334455667788 ll
            r2 = 0x99aabbccddeeff00 ll
            call 1001
            r0 >>= 32
            exit
            """);
        Assert.Equal(0x55667788u, mix.TestRun([], default, new byte[32], default).Retval);
        // Negate(int) of 5 is -5, sign-extended into r0: the upper half is all ones.
        using BpfProgram negate = Load(system, type, "r1 = 5\ncall 1003\nr0 >>= 32\nexit");
        Assert.Equal(0xffff_ffffu, negate.TestRun([], default, new byte[32], default).Retval);
    }

    [Fact]
    public void A_writable_span_and_an_out_reference_write_the_programs_stack()
    {
        using BpfSystem system = WithHelpers(out BpfProgType type, new Helpers());
        using BpfProgram fill = Load(system, type, """
            r2 = 0
            *(u64 *)(r10 - 8) = r2
            r1 = r10
            r1 += -8
            r2 = 4
            call 1002
            r0 = *(u32 *)(r10 - 8)
            exit
            """);
        Assert.Equal(0xababababu, fill.TestRun([], default, new byte[32], default).Retval);
        using BpfProgram pair = Load(system, type, """
            r1 = 40
            *(u32 *)(r10 - 8) = r1
            r1 = 2
            *(u32 *)(r10 - 4) = r1
            r1 = r10
            r1 += -8
            r2 = r10
            r2 += -16
            call 1004
            r6 = r0
            r0 = *(u64 *)(r10 - 16)
            r0 += r6
            exit
            """);
        Assert.Equal(43u, pair.TestRun([], default, new byte[32], default).Retval); // 40 + 2, + 1 for "running"
    }

    public static TheoryData<string, int, string> BadCalls => new()
    {
        // program, errno, message (the kernel's wording; a memory argument past the frame top is -EINVAL in check_stack_access_within_bounds)
        { "r1 = 0\nr2 = 8\ncall 1000\nexit", Errno.EACCES, "R1 type=scalar expected=fp" },
        { "r1 = r10\nr1 += -8\nr2 = 16\ncall 1000\nexit", Errno.EINVAL, "stack R1 off=-8 size=16" },
        { "r1 = r10\nr1 += -4\nr2 = r10\nr2 += -16\ncall 1004\nexit", Errno.EINVAL, "stack R1 off=-4 size=8" },
        { "r2 = r1\nr1 = r10\nr1 += -8\nr2 = *(u32 *)(r2 + 0)\ncall 1000\nexit", Errno.EACCES, "R2 unbounded memory access" },
        { "r2 = 8\ncall 1000\nexit", Errno.EACCES, "R1 type=ctx expected=fp" },
        { "call 1005\nexit", Errno.EINVAL, "invalid func unknown#1005" },
        { "call 6\nexit", Errno.EINVAL, "program of this type cannot use helper bpf_trace_printk#6" },
        { "call 2000\nexit", Errno.EINVAL, "invalid func unknown#2000" },
    };

    [Theory]
    [MemberData(nameof(BadCalls))]
    public void The_verifier_checks_calls_against_the_prototypes(string asm, int errno, string message)
    {
        using BpfSystem system = WithHelpers(out BpfProgType type, new Helpers());
        (int actualErrno, string actualMessage) = LoadError(system, type, asm);
        Assert.Equal(errno, actualErrno);
        Assert.Contains(message, actualMessage);
    }

    [Fact]
    public void A_delegate_helper_is_called_with_its_declared_prototype()
    {
        ulong seen = 0;
        using BpfSystem system = NewSystem(out BpfProgType type, b => b.AddHelper(1010, "host_record",
            (run, r1, r2, r3, r4, r5) => { seen = r1 + r2; return 99; },
            HelperReturnType.RET_INTEGER, HelperArgType.ARG_ANYTHING, HelperArgType.ARG_ANYTHING));
        using BpfProgram program = Load(system, type, "r1 = 3\nr2 = 4\ncall 1010\nexit");
        Assert.Equal(99u, program.TestRun([], default, new byte[32], default).Retval);
        Assert.Equal(7ul, seen);
        Assert.Contains("R2 !read_ok", LoadError(system, type, "r1 = 3\ncall 1010\nexit").Message);
    }

    public static TheoryData<string> BadHelpers => new() { "low id", "high id", "kernel id", "duplicate", "spin lock arg", "unsized mem", "map value return", "six registers", "string parameter" };

    private sealed class SixRegisters
    {
        [HostHelper(1000)]
        public static long Six(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, long c, long d) => 0;
    }

    private sealed class StringParameter
    {
        [HostHelper(1000)]
        public static long Text(string s) => 0;
    }

    [Theory]
    [MemberData(nameof(BadHelpers))]
    public void Invalid_helpers_are_refused_when_described(string fault)
    {
        var b = new HostProgramTypeBuilder("t", 8);
        BpfHelper nop = (run, r1, r2, r3, r4, r5) => 0;
        Action add = fault switch
        {
            "low id" => () => b.AddHelper(999, "h", nop, HelperReturnType.RET_INTEGER),
            "high id" => () => b.AddHelper(2000, "h", nop, HelperReturnType.RET_INTEGER),
            "kernel id" => () => b.AddHelper(1, "h", nop, HelperReturnType.RET_INTEGER),
            "duplicate" => () => b.AddHelper(1000, "h", nop, HelperReturnType.RET_INTEGER).AddHelper(1000, "g", nop, HelperReturnType.RET_INTEGER),
            "spin lock arg" => () => b.AddHelper(1000, "h", nop, HelperReturnType.RET_INTEGER, HelperArgType.ARG_PTR_TO_SPIN_LOCK),
            "unsized mem" => () => b.AddHelper(1000, "h", nop, HelperReturnType.RET_INTEGER, HelperArgType.ARG_PTR_TO_MEM, HelperArgType.ARG_ANYTHING),
            "map value return" => () => b.AddHelper(1000, "h", nop, HelperReturnType.RET_PTR_TO_MAP_VALUE),
            "six registers" => () => b.AddHelpers(typeof(SixRegisters)),
            _ => () => b.AddHelpers(typeof(StringParameter)),
        };
        Assert.Throws<ArgumentException>(add);
    }

    [Fact]
    public void Instance_helpers_need_an_instance() =>
        Assert.Throws<ArgumentException>(() => new HostProgramTypeBuilder("t", 8).AddHelpers(typeof(Helpers)));

    [Fact]
    public void A_kernel_helper_the_system_does_not_implement_cannot_be_allowed()
    {
        using var system = new BpfSystem(new BpfSystemOptions { Helpers = new HelperRegistry() });
        HostProgramType t = new HostProgramTypeBuilder("t", 8).AllowKernelHelpers("bpf_map_lookup_elem").Build();
        Assert.Throws<ArgumentException>(() => system.RegisterProgramType(t));
    }

    [Fact]
    public void Checked_mode_helpers_check_their_memory_arguments()
    {
        // Unverified, the program passes a pointer the run may not touch: the adapter refuses it before the C# code runs.
        var helpers = new Helpers();
        using BpfSystem system = NewSystem(out BpfProgType type, b => b.AddHelpers(helpers), verify: false);
        using BpfProgram program = Load(system, type, "r1 = 4096\nr2 = 8\ncall 1000\nexit");
        BpfException e = Assert.Throws<BpfException>(() => program.TestRun([], default, new byte[32], default));
        Assert.Equal(Errno.EFAULT, e.Errno);
        Assert.Empty(helpers.Seen);
    }
}
