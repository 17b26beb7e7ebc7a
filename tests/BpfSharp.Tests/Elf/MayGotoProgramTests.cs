using BpfSharp.Elf;
using BpfSharp.Runtime;
using BpfSharp.Tests.Kernel;

namespace BpfSharp.Tests.Elf;

/// <summary>
/// clang-built programs that loop with the can_loop and cond_break macros of the kernel's bpf_experimental.h (the raw
/// may_goto in an asm goto; tests/programs/elf_may_goto.c and may_goto_budget.c), loaded through our ELF loader and
/// verifier and run on both engines: the results their C source computes. Where a loop ends by its own condition,
/// the live kernel's BPF_PROG_TEST_RUN gives the same (its timed may_goto never expires that early); a loop that
/// only may_goto ends runs exactly BPF_MAX_LOOPS times per function invocation here.
/// </summary>
public class MayGotoProgramTests
{
    // Ethernet (IPv4) + IPv4 (protocol UDP) + UDP + payload and padding: 65 bytes (as ElfKernelTests runs the programs).
    private static readonly byte[] Packet65 = Convert.FromHexString(
        "0000000000020000000000010800" + "4500003200004000401100007f0000017f000001" + "303930390018000068656c6c6f20776f726c64"
        + "000000000000000000000000");

    // The same with 6 more bytes: n = 71, n & 7 = 7, n & 15 = 7, n >> 4 = 4.
    private static readonly byte[] Packet71 = [.. Packet65, .. new byte[6]];

    public static TheoryData<string, int, uint, ExecutionEngine> Cases()
    {
        var data = new TheoryData<string, int, uint, ExecutionEngine>();
        (string Prog, int Length, uint Expected)[] rows =
        [
            ("sum_to_len", 65, 2080),       // 0 + 1 + ... + 64
            ("sum_to_len", 71, 2485),       // 0 + 1 + ... + 70
            ("halvings", 65, 16),           // 65000 < 2^16
            ("halvings", 71, 17),           // 2^16 <= 71000 < 2^17
            ("two_calls", 65, 11),          // triangle(1) + triangle(4)
            ("two_calls", 71, 38),          // triangle(7) + triangle(4)
            ("in_callback", 65, 100),       // one iteration (index 0), whose inner loop adds nothing
            ("in_callback", 71, 135),       // 100 + sum over index 0..6 of (0 + ... + index - 1) = 100 + 35
        ];
        foreach (ExecutionEngine engine in new[] { ExecutionEngine.Interpreter, ExecutionEngine.Jit })
            foreach (var (prog, length, expected) in rows)
                data.Add(prog, length, expected, engine);
        return data;
    }

    private static byte[] PacketOf(int length) => length == 65 ? Packet65 : Packet71;

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_program_computes_what_its_source_says(string program, int length, uint expected, ExecutionEngine engine)
    {
        CollectionSpec spec = CollectionSpec.Load(TestPrograms.PathOf("elf_may_goto.o"));
        using var system = new BpfSystem(new BpfSystemOptions { Engine = engine });
        using Collection loaded = Collection.Load(spec, system, new CollectionOptions { Programs = [program] });
        byte[] packet = PacketOf(length);
        Assert.Equal(expected, loaded.Programs[program].TestRun(packet, new byte[packet.Length + 512]).Retval);
    }

    [Theory]
    [InlineData(ExecutionEngine.Interpreter)]
    [InlineData(ExecutionEngine.Jit)]
    public void A_loop_only_may_goto_ends_runs_BPF_MAX_LOOPS_times_in_each_function(ExecutionEngine engine)
    {
        CollectionSpec spec = CollectionSpec.Load(TestPrograms.PathOf("may_goto_budget.o"));
        using var system = new BpfSystem(new BpfSystemOptions { Engine = engine });
        using Collection loaded = Collection.Load(spec, system);
        // the main program's loop and its callee's each run BPF_MAX_LOOPS times
        Assert.Equal(2u * 8 * 1024 * 1024, loaded.Programs["spend_budget"].TestRun(Packet65, new byte[Packet65.Length + 512]).Retval);
    }

    [SkippableTheory]
    [InlineData("sum_to_len")]
    [InlineData("halvings")]
    [InlineData("two_calls")]
    [InlineData("in_callback")]
    public void The_kernel_gives_the_same_on_a_71_byte_packet(string program)
    {
        Skip.IfNot(KernelBpf.IsAvailable, "bpf() is not available to this process");
        CollectionSpec spec = CollectionSpec.Load(TestPrograms.PathOf("elf_may_goto.o"));
        using var kernel = new KernelObject(spec);
        int fd = kernel.Load(spec.Programs[program], out string log);
        Assert.True(fd >= 0, $"the kernel rejects {program}:\n{log}");
        TestRunResult k = KernelBpf.ProgTestRun(fd, Packet71);
        Assert.Equal(0, k.Error);
        using var system = new BpfSystem();
        using Collection ours = Collection.Load(spec, system, new CollectionOptions { Programs = [program] });
        Assert.Equal(k.Retval, ours.Programs[program].TestRun(Packet71, new byte[Packet71.Length + 512]).Retval);
    }
}
