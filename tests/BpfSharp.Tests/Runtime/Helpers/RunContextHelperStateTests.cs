using BpfSharp.Isa;
using BpfSharp.Memory;
using BpfSharp.Runtime;
using BpfSharp.Tests.Runtime.Engines;
using static BpfSharp.Isa.Asm;
using static BpfSharp.Isa.Opcodes;
using static BpfSharp.Isa.Reg;
using static BpfSharp.Tests.Runtime.Helpers.HelperHarness;

namespace BpfSharp.Tests.Runtime.Helpers;

/// <summary>The run state helpers rely on: run regions, one run per context, the tail-call hand-over.</summary>
public class RunContextHelperStateTests
{
    [Fact]
    public void Run_regions_need_a_run_and_are_gone_after_it()
    {
        using var h = new HelperHarness();
        var map = h.Add(new TestArrayMap(h.MapContext, 8, 2));
        RunContext ctx = h.NewContext();
        Assert.Throws<InvalidOperationException>(() => ctx.AddRunRegion(new MemoryRegion(1, 1, false, "x")));
        h.Load(EngineMatrix.All[0].Name, true, Program(
            StMem(BPF_W, R10, -4, 0), LdImm64(R1, HandleOf(map)), Mov64(R2, R10), Add64(R2, -4), Call(1), Exit()))(ctx);
        Assert.Equal(0, ctx.RunRegions.Length);
    }

    [Fact]
    public void Unchecked_runs_remember_the_latest_run_regions_only()
    {
        using var h = new HelperHarness();
        var map = h.Add(new TestArrayMap(h.MapContext, 8, 40));
        int seen = -1;
        // 20 lookups of different elements, then a helper that counts the run regions
        var registry = new BpfSharp.Runtime.HelperRegistry()
            .Register(1, "bpf_map_lookup_elem", BpfSharp.Runtime.Helpers.MapHelpers.MapLookupElem)
            .Register(2000, "count", (run, r1, r2, r3, r4, r5) => { seen = run.RunRegions.Length; return 0; });
        var items = new List<AsmItem>();
        for (int k = 0; k < 20; k++)
            items.AddRange([StMem(BPF_W, R10, -4, k), LdImm64(R1, HandleOf(map)), Mov64(R2, R10), Add64(R2, -4), Call(1)]);
        items.AddRange([Call(2000), Exit()]);
        var vm = new Interpreter(Program([.. items]), new InterpreterOptions { Helpers = registry });
        vm.Run(h.NewContext());
        Assert.Equal(RunContext.UncheckedRunRegions, seen);
    }

    [Fact]
    public void A_context_runs_one_program_at_a_time()
    {
        Interpreter? inner = null;
        var registry = new BpfSharp.Runtime.HelperRegistry()
            .Register(2000, "run_again", (run, r1, r2, r3, r4, r5) => inner!.Run(run));
        inner = new Interpreter(Program(Call(2000), Exit()), new InterpreterOptions { Helpers = registry });
        var ctx = new RunContext();
        Assert.Throws<InvalidOperationException>(() => inner.Run(ctx));
        Assert.False(ctx.IsRunning);
        inner = new Interpreter(Program(Mov64(R0, 3), Exit()));
        Assert.Equal(3ul, inner.Run(ctx)); // usable again
    }

    [Fact]
    public void TakeTailCall_hands_the_target_over_once()
    {
        var ctx = new RunContext();
        Assert.Null(ctx.TakeTailCall());
        var target = new object();
        ctx.RequestTailCall(target);
        Assert.True(ctx.IsExitRequested);
        Assert.Same(target, ctx.TailCallTarget);
        Assert.Same(target, ctx.TakeTailCall());
        Assert.Null(ctx.TailCallTarget);
        Assert.Null(ctx.TakeTailCall());
    }
}
