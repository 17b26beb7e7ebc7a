using BpfSharp.Isa;
using BpfSharp.Runtime;
using BpfSharp.Tests.Runtime.Engines;
using static BpfSharp.Isa.Asm;
using static BpfSharp.Isa.Opcodes;
using static BpfSharp.Isa.Reg;
using static BpfSharp.Tests.Runtime.Helpers.HelperHarness;

namespace BpfSharp.Tests.Runtime.Helpers;

/// <summary>bpf_spin_lock / bpf_spin_unlock: a real lock on the bpf_spin_lock word of a map value.</summary>
public class SpinLockHelperTests
{
    public static TheoryData<string, bool> EnginesAndModes => EngineMatrix.EnginesAndModes();
    public static TheoryData<string> Engines => EngineMatrix.Engines();

    // value: struct { struct bpf_spin_lock lock; u32 pad; u64 counter; }
    // v = lookup(0); lock(&v->lock); v->counter = v->counter + 1 (a plain load and store); unlock(&v->lock)
    private static Instruction[] Increment(TestArrayMap map, int lockOffset = 0) => Program(
        StMem(BPF_W, R10, -4, 0), LdImm64(R1, HandleOf(map)), Mov64(R2, R10), Add64(R2, -4), Call(1), Jeq(R0, 0, "out"),
        Mov64(R6, R0),
        Mov64(R1, R6), Add64(R1, lockOffset), Call(93),
        LdxMem(BPF_DW, R1, R6, 8), Add64(R1, 1), StxMem(BPF_DW, R6, R1, 8),
        Mov64(R1, R6), Add64(R1, lockOffset), Call(94),
        Label("out"), Mov64(R0, 0), Exit());

    [Theory]
    [MemberData(nameof(EnginesAndModes))]
    public void The_lock_makes_increments_from_many_threads_exact(string engine, bool isChecked)
    {
        const int Threads = 4, RunsPerThread = 20_000;
        using var h = new HelperHarness();
        var map = h.Add(new TestArrayMap(h.MapContext, 16, 1, spinLockOffset: 0));
        var run = h.Load(engine, isChecked, Increment(map));
        var threads = new Thread[Threads];
        for (int t = 0; t < Threads; t++)
        {
            threads[t] = new Thread(() =>
            {
                RunContext ctx = h.NewContext();
                for (int k = 0; k < RunsPerThread; k++)
                    run(ctx);
            });
            threads[t].Start();
        }
        foreach (Thread thread in threads)
            thread.Join();
        Assert.Equal((ulong)(Threads * RunsPerThread), BitConverter.ToUInt64(map.Value(0)[8..]));
        Assert.Equal(0u, BitConverter.ToUInt32(map.Value(0))); // released
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Checked_a_misaligned_lock_faults(string engine)
    {
        using var h = new HelperHarness();
        var map = h.Add(new TestArrayMap(h.MapContext, 16, 1, spinLockOffset: 0));
        var ex = Assert.Throws<BpfRuntimeException>(() => h.Run(engine, true, Increment(map, lockOffset: 2)));
        Assert.Equal(FaultKind.InvalidHelperArgument, ex.Kind);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Checked_a_lock_outside_the_run_faults(string engine)
    {
        using var h = new HelperHarness();
        var ex = Assert.Throws<BpfRuntimeException>(() => h.Run(engine, true, Program(Mov64(R1, 0x100), Call(93), Exit())));
        Assert.Equal(FaultKind.OutOfBounds, ex.Kind);
        Assert.Contains("helper call: out-of-bounds atomic of 4 bytes at 0x100", ex.Message);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Checked_exiting_with_the_lock_held_faults_and_releases_it(string engine)
    {
        using var h = new HelperHarness();
        var map = h.Add(new TestArrayMap(h.MapContext, 16, 1, spinLockOffset: 0));
        Instruction[] program = Program(
            StMem(BPF_W, R10, -4, 0), LdImm64(R1, HandleOf(map)), Mov64(R2, R10), Add64(R2, -4), Call(1), Jeq(R0, 0, "out"),
            Mov64(R1, R0), Call(93),
            Label("out"), Mov64(R0, 0), Exit());
        var ex = Assert.Throws<BpfRuntimeException>(() => h.Run(engine, true, program));
        Assert.Equal(FaultKind.SpinLockHeld, ex.Kind);
        Assert.Equal(8, ex.InstructionIndex); // the bpf_spin_lock call
        Assert.Equal(0u, BitConverter.ToUInt32(map.Value(0))); // released
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Checked_unlocking_a_lock_not_held_faults(string engine)
    {
        using var h = new HelperHarness();
        var map = h.Add(new TestArrayMap(h.MapContext, 16, 1, spinLockOffset: 0));
        var ex = Assert.Throws<BpfRuntimeException>(() => h.Run(engine, true, Program(
            StMem(BPF_W, R10, -4, 0), LdImm64(R1, HandleOf(map)), Mov64(R2, R10), Add64(R2, -4), Call(1), Jeq(R0, 0, "out"),
            Mov64(R1, R0), Call(94),
            Label("out"), Mov64(R0, 0), Exit())));
        Assert.Equal(FaultKind.SpinLockHeld, ex.Kind);
    }
}
