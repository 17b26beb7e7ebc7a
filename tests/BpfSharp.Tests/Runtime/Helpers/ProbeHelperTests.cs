using BpfSharp.Isa;
using BpfSharp.Memory;
using BpfSharp.Runtime;
using BpfSharp.Tests.Runtime.Engines;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Asm;
using static BpfSharp.Isa.Opcodes;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Runtime.Helpers;

/// <summary>
/// bpf_probe_read_kernel/user(_str) (bpf-helpers(7)): safe copies from memory the host registered; on
/// failure the destination is zero-filled and -EFAULT returned; the _str forms return the length with the
/// NUL and cut the string to size - 1 characters.
/// </summary>
public class ProbeHelperTests
{
    public static TheoryData<string, bool> EnginesAndModes => EngineMatrix.EnginesAndModes();
    public static TheoryData<string> Engines => EngineMatrix.Engines();

    private const int ReadUser = 112, ReadKernel = 113, ReadUserStr = 114, ReadKernelStr = 115;

    // r0 = helper(mem + 0, size, source)
    private static Instruction[] Read(int id, int size, ulong source) => Program(
        Mov64(R6, R1), LdImm64(R3, (long)source), Mov64(R1, R6), Mov64(R2, size), Call(id), Exit());

    private static (HelperHarness Harness, NativeBuffer Kernel, NativeBuffer User) Setup()
    {
        var h = new HelperHarness(memorySize: 64);
        var kernel = new NativeBuffer(System.Text.Encoding.ASCII.GetBytes("kernel data\0tail-without-nul"));
        var user = new NativeBuffer(System.Text.Encoding.ASCII.GetBytes("user string\0"));
        h.Env.ProbeMemory.AddKernel(kernel.ToRegion(writable: false, "kdata"));
        h.Env.ProbeMemory.AddUser(user.ToRegion(writable: false, "udata"));
        h.Memory.Span.Fill(0xAA);
        return (h, kernel, user);
    }

    [Theory]
    [MemberData(nameof(EnginesAndModes))]
    public void Reads_registered_memory(string engine, bool isChecked)
    {
        var (h, kernel, user) = Setup();
        using (h) using (kernel) using (user)
        {
            Assert.Equal(0ul, h.Run(engine, isChecked, Read(ReadKernel, 6, (ulong)kernel.Pointer)));
            Assert.Equal("kernel"u8.ToArray(), h.Memory.Span[..6].ToArray());
            Assert.Equal(0xAA, h.Memory.Span[6]);
            Assert.Equal(0ul, h.Run(engine, isChecked, Read(ReadUser, 4, (ulong)user.Pointer)));
            Assert.Equal("user"u8.ToArray(), h.Memory.Span[..4].ToArray());
        }
    }

    public static readonly TheoryData<string, int, int, int> Failures = new()
    {
        // name, helper, size, source offset (-1: an unregistered address; kernel offsets otherwise)
        { "kernel read of an unregistered address", ReadKernel, 8, -1 },
        { "kernel read running past the region", ReadKernel, 8, 24 },
        { "user read of kernel memory", ReadUser, 4, 0 },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void A_failed_read_zero_fills_and_returns_EFAULT(string name, int id, int size, int offset)
    {
        _ = name;
        var (h, kernel, user) = Setup();
        using (h) using (kernel) using (user)
        {
            ulong source = offset < 0 ? 0x1000 : (ulong)kernel.Pointer + (ulong)offset;
            foreach (var (engine, isChecked) in new[] { (EngineMatrix.All[0].Name, true), (EngineMatrix.All[0].Name, false) })
            {
                h.Memory.Span.Fill(0xAA);
                Assert.Equal(unchecked((ulong)-Errno.EFAULT), h.Run(engine, isChecked, Read(id, size, source)));
                Assert.All(h.Memory.Span[..size].ToArray(), b => Assert.Equal(0, b));
                Assert.Equal(0xAA, h.Memory.Span[size]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(EnginesAndModes))]
    public void Kernel_reads_may_read_the_programs_own_stack(string engine, bool isChecked)
    {
        using var h = new HelperHarness();
        ulong r0 = h.Run(engine, isChecked, Program(
            StMem(BPF_DW, R10, -8, 0x5566), Mov64(R6, R1),
            Mov64(R1, R6), Mov64(R2, 8), Mov64(R3, R10), Add64(R3, -8), Call(ReadKernel),
            LdxMem(BPF_DW, R0, R6, 0), Exit()));
        Assert.Equal(0x5566ul, r0);
    }

    [Fact]
    public void Size_zero_reads_nothing_and_succeeds()
    {
        using var h = new HelperHarness();
        Assert.Equal(0ul, h.Run(EngineMatrix.All[0].Name, true, Read(ReadKernel, 0, 0x1000)));
    }

    public static readonly TheoryData<string, int, int, long, string> Strings = new()
    {
        // name, size, kernel offset, result, text
        { "the whole string with its NUL", 32, 0, 12, "kernel data" },
        { "cut to size - 1 and terminated", 7, 0, 7, "kernel" },
        { "size 1 gives an empty string", 1, 0, 1, "" },
        { "a string that runs into unmapped memory", 32, 12, -Errno.EFAULT, "" },
    };

    [Theory]
    [MemberData(nameof(Strings))]
    public void Kernel_string_reads(string name, int size, int offset, long result, string text)
    {
        _ = name;
        var (h, kernel, user) = Setup();
        using (h) using (kernel) using (user)
        {
            ulong r0 = h.Run(EngineMatrix.All[0].Name, true, Read(ReadKernelStr, size, (ulong)kernel.Pointer + (ulong)offset));
            Assert.Equal(result, (long)r0);
            Assert.Equal(text, h.String(0));
            if (result < 0)
                Assert.All(h.Memory.Span[..size].ToArray(), b => Assert.Equal(0, b)); // zeroed on failure
            else
                Assert.Equal(0xAA, h.Memory.Span[(int)result]); // nothing written past the NUL
        }
    }

    [Fact]
    public void User_string_reads_only_read_user_memory()
    {
        var (h, kernel, user) = Setup();
        using (h) using (kernel) using (user)
        {
            Assert.Equal(12ul, h.Run(EngineMatrix.All[0].Name, true, Read(ReadUserStr, 32, (ulong)user.Pointer)));
            Assert.Equal("user string", h.String(0));
            Assert.Equal(unchecked((ulong)-Errno.EFAULT), h.Run(EngineMatrix.All[0].Name, true, Read(ReadUserStr, 32, (ulong)kernel.Pointer)));
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Checked_destination_outside_the_run_faults(string engine)
    {
        var (h, kernel, user) = Setup();
        using (h) using (kernel) using (user)
        {
            var ex = Assert.Throws<BpfRuntimeException>(() => h.Run(engine, true, Program(
                LdImm64(R3, (long)kernel.Pointer), Mov64(R1, 0x40), Mov64(R2, 8), Call(ReadKernel), Exit())));
            Assert.Equal(FaultKind.OutOfBounds, ex.Kind);
            Assert.Contains("helper call: out-of-bounds store of 8 bytes at 0x40", ex.Message);
        }
    }
}
