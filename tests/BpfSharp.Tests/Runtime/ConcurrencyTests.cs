using BpfSharp.Isa;
using BpfSharp.Memory;
using BpfSharp.Runtime;
using BpfSharp.Tests.Runtime.Engines;
using static BpfSharp.Isa.Asm;
using static BpfSharp.Isa.Opcodes;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Runtime;

/// <summary>One loaded program runs on many threads at once; atomics are real atomics.</summary>
public class ConcurrencyTests
{
    private const int Threads = 8;

    public static TheoryData<string, bool> EnginesAndModes => EngineMatrix.EnginesAndModes();

    [Theory]
    [MemberData(nameof(EnginesAndModes))]
    public void Concurrent_runs_do_not_share_registers_or_stack(string engine, bool isChecked)
    {
        // r0 = sum of 1..r1: the counter lives in the stack, the sum is added by a subprogram
        // that goes through its own frame.
        Instruction[] program = Program(
            StxMem(BPF_DW, R10, R1, -8),
            Mov64(R6, 0),
            Label("loop"),
            LdxMem(BPF_DW, R2, R10, -8),
            Jeq(R2, 0, "done"),
            Mov64(R1, R2),
            Mov64(R2, R6),
            CallRel("add"),
            Mov64(R6, R0),
            LdxMem(BPF_DW, R2, R10, -8),
            Sub64(R2, 1),
            StxMem(BPF_DW, R10, R2, -8),
            Ja("loop"),
            Label("done"),
            Mov64(R0, R6),
            Exit(),
            Label("add"),
            StxMem(BPF_DW, R10, R2, -16),
            LdxMem(BPF_DW, R3, R10, -16),
            Add64(R3, R1),
            Mov64(R0, R3),
            Exit());
        var run = EngineMatrix.Get(engine).Load(program, new EngineOptions(isChecked, null, 0));
        var results = new ulong[Threads];
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
        {
            var context = new RunContext();
            for (int k = 0; k < 200; k++)
            {
                ulong n = (ulong)(t * 100 + k % 7);
                context.R1 = n;
                ulong r0 = run(context);
                if (r0 != n * (n + 1) / 2) { results[t] = r0 | 1ul << 63; return; }
            }
            results[t] = 1;
        });
        Assert.All(results, r => Assert.Equal(1ul, r));
    }

    [Theory]
    [MemberData(nameof(EnginesAndModes))]
    public void Atomic_adds_from_many_threads_are_not_lost(string engine, bool isChecked)
    {
        const int Iterations = 2000;
        // for (r3 = Iterations; r3; r3--) lock *(u64 *)r1 += 1; lock *(u32 *)(r1 + 8) += 1
        Instruction[] program = Program(
            Mov64(R2, 1),
            Mov64(R3, Iterations),
            Label("loop"),
            AtomicOp(BPF_DW, BPF_ADD, R1, R2, 0),
            AtomicOp(BPF_W, BPF_ADD | BPF_FETCH, R1, R2, 8),
            Mov64(R2, 1),
            Sub64(R3, 1),
            Jne(R3, 0, "loop"),
            Mov64(R0, 0),
            Exit());
        var run = EngineMatrix.Get(engine).Load(program, new EngineOptions(isChecked, null, 0));
        using var shared = new NativeBuffer(16);
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, _ =>
        {
            var context = new RunContext { R1 = (ulong)shared.Pointer };
            context.AddRegion(shared.ToRegion(writable: true, "shared"));
            run(context);
        });
        Assert.Equal((ulong)(Threads * Iterations), BitConverter.ToUInt64(shared.Span[..8]));
        Assert.Equal((uint)(Threads * Iterations), BitConverter.ToUInt32(shared.Span[8..12]));
    }
}
