using BpfSharp.Isa;
using BpfSharp.Runtime;
using BpfSharp.Runtime.Helpers;
using BpfSharp.Tests.Runtime.Engines;
using static BpfSharp.Isa.Asm;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Runtime.Helpers;

/// <summary>The clock, CPU, random and current-task helpers, with host-supplied values.</summary>
public class TimeCpuTaskHelperTests
{
    private static string Engine => EngineMatrix.All[0].Name;

    private static ulong Call0(HelperHarness h, int id, RunContext? ctx = null) =>
        h.Load(Engine, true, Program(Call(id), Exit()))(ctx ?? h.NewContext());

    [Fact]
    public void Clock_helpers_read_the_environments_clock()
    {
        using var h = new HelperHarness();
        h.Clock.MonotonicNs = 11;
        h.Clock.BootNs = 22;
        h.Clock.CoarseNs = 33;
        h.Clock.TaiNs = 44;
        h.Clock.Jiffies64 = 55;
        Assert.Equal(11ul, Call0(h, 5));    // bpf_ktime_get_ns
        Assert.Equal(22ul, Call0(h, 125));  // bpf_ktime_get_boot_ns
        Assert.Equal(33ul, Call0(h, 160));  // bpf_ktime_get_coarse_ns
        Assert.Equal(44ul, Call0(h, 208));  // bpf_ktime_get_tai_ns
        Assert.Equal(55ul, Call0(h, 118));  // bpf_jiffies64
    }

    [Theory]
    [InlineData(250, 4294892296ul)]  // INITIAL_JIFFIES = (u32)(-300 * HZ)
    [InlineData(1000, 4294667296ul)]
    public void Host_jiffies_start_at_the_kernels_initial_value(int hz, ulong initial)
    {
        var clock = new HostClock(hz);
        Assert.Equal(initial, clock.InitialJiffies);
        Assert.True(clock.Jiffies64 >= initial);
    }

    [Fact]
    public void Host_clocks_are_consistent()
    {
        var clock = new HostClock(250);
        ulong first = clock.MonotonicNs, coarse = clock.CoarseNs, second = clock.MonotonicNs;
        Assert.True(second >= first);
        Assert.Equal(0ul, coarse % 4_000_000);
        Assert.True(coarse <= second);
        Assert.True(clock.TaiNs > 1_600_000_000ul * 1_000_000_000); // after 2020
    }

    [Fact]
    public void Smp_processor_id_is_the_runs_cpu()
    {
        using var h = new HelperHarness(possibleCpus: 4);
        RunContext ctx = h.NewContext();
        ctx.Cpu = 3;
        Assert.Equal(3ul, Call0(h, 8, ctx));
        ctx.UseCurrentProcessor();
        Assert.True(Call0(h, 8, ctx) < 4);
        Assert.Throws<ArgumentOutOfRangeException>(() => ctx.Cpu = 4);
    }

    [Fact]
    public void Numa_node_is_0()
    {
        using var h = new HelperHarness();
        Assert.Equal(0ul, Call0(h, 42));
    }

    [Fact]
    public void Prandom_is_reproducible_with_a_seed_and_differs_across_seeds()
    {
        ulong[] Draw(ulong seed)
        {
            using var h = new HelperHarness(seed: seed);
            var run = h.Load(Engine, false, Program(Call(7), Exit()));
            RunContext ctx = h.NewContext();
            return [run(ctx), run(ctx), run(ctx), run(ctx)];
        }
        ulong[] a = Draw(42), b = Draw(42), c = Draw(43);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.True(a.Distinct().Count() > 1);
        Assert.All(a, v => Assert.True(v <= uint.MaxValue));
    }

    // Three draws packed into r0 (the JIT inlines the generator: the numbers and their order must stay the
    // interpreter's); "leaf" runs unchecked without a budget (the JIT's leaf path), "helper" adds a real helper call
    // (ktime) between the draws, "checked" is checked mode with a budget.
    public static TheoryData<string> PrandomShapes() => ["leaf", "helper", "checked"];

    [Theory]
    [MemberData(nameof(PrandomShapes))]
    public void Prandom_draws_the_same_numbers_on_every_engine(string shape)
    {
        Instruction[] program = Program(
            Call(7), Mov64Reg(R6, R0),
            shape == "helper" ? Call(5) : Mov64Imm(R0, 0),
            Call(7), Lsh64(R6, 21), Xor64(R6, R0),
            Call(7), Lsh64(R6, 21), Xor64(R0, R6),
            Exit());
        ulong[] Draw(string engine)
        {
            using var h = new HelperHarness(seed: 42);
            bool isChecked = shape == "checked";
            var run = h.Load(engine, isChecked, program, budget: isChecked ? 1000 : 0);
            RunContext ctx = h.NewContext();
            return [run(ctx), run(ctx), run(ctx)];
        }
        ulong[] expected = Draw(EngineMatrix.All[0].Name);
        Assert.Equal(3, expected.Distinct().Count());
        foreach (IEngine engine in EngineMatrix.All)
            Assert.Equal(expected, Draw(engine.Name));
    }

    [Fact]
    public void Pid_tgid_and_uid_gid_pack_as_the_kernel_does()
    {
        using var h = new HelperHarness(); // task: pid 100, tgid 200, uid 1000, gid 2000
        Assert.Equal(200ul << 32 | 100, Call0(h, 14));
        Assert.Equal(2000ul << 32 | 1000, Call0(h, 15));
        h.Env.Task = new BpfTask(7, 8, 9, 10, "x");
        Assert.Equal(8ul << 32 | 7, Call0(h, 14));
    }

    [Fact]
    public void The_current_task_is_the_address_the_host_gave()
    {
        using var h = new HelperHarness();
        Assert.Equal(0ul, Call0(h, 35));  // bpf_get_current_task: no task image
        Assert.Equal(0ul, Call0(h, 158)); // bpf_get_current_task_btf
        h.Env.Task = new BpfTask(7, 8, 9, 10, "x") { Address = 0xffff_8880_1234_5000 };
        Assert.Equal(0xffff_8880_1234_5000, Call0(h, 35));
        Assert.Equal(0xffff_8880_1234_5000, Call0(h, 158));
    }

    [Theory]
    [InlineData("helper-test", 16, "helper-test")]
    [InlineData("helper-test", 4, "hel")]
    [InlineData("a-very-long-command-name", 16, "a-very-long-com")] // TASK_COMM_LEN 16: 15 bytes kept
    public void Current_comm_is_terminated_and_zero_padded(string comm, int size, string expected)
    {
        using var h = new HelperHarness();
        h.Env.Task = new BpfTask(1, 1, 0, 0, comm);
        h.Memory.Span.Fill(0xAA);
        ulong r0 = h.Run(Engine, true, Program(Mov64(R2, size), Call(16), Exit()));
        Assert.Equal(0ul, r0);
        Assert.Equal(expected, h.String(0));
        Assert.All(h.Memory.Span[expected.Length..size].ToArray(), b => Assert.Equal(0, b));
        Assert.Equal(0xAA, h.Memory.Span[size]);
    }

    [Fact]
    public void The_current_process_is_the_default_task()
    {
        BpfTask task = BpfTask.CurrentProcess();
        Assert.Equal((uint)Environment.ProcessId, task.Tgid);
        Assert.NotEmpty(task.Comm);
        Assert.True(task.CommBytes.Length <= 15);
    }
}
