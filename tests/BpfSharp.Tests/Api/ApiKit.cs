using BpfSharp.Isa;
using BpfSharp.Runtime.Helpers;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Opcodes;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Api;

/// <summary>Systems and small programs for the typed API tests.</summary>
internal static class ApiKit
{
    /// <summary>A fresh system with <paramref name="cpus"/> possible CPUs.</summary>
    public static BpfSystem NewSystem(int cpus = 2) => new(new BpfSystemOptions { PossibleCpus = cpus });

    /// <summary>A system that loads programs unverified (checked mode), for tests of run-time faults.</summary>
    public static BpfSystem NewUncheckedLoadSystem(int cpus = 2) =>
        new(new BpfSystemOptions { PossibleCpus = cpus, Verify = false });

    /// <summary>
    /// A program that looks up u32 key <paramref name="key"/> in <paramref name="map"/> and adds
    /// <paramref name="add"/> to the u64 at the value's start with <c>lock *(u64 *)(r0 + 0) += r1</c>
    /// (or a plain add when <paramref name="atomic"/> is false); returns 0, or 1 if the key is missing.
    /// </summary>
    public static Instruction[] AddToCounter(BpfMap map, uint key, int add = 1, bool atomic = true)
    {
        var items = new List<AsmItem>
        {
            Asm.StMem(BPF_W, R10, -4, (int)key),
            Asm.LdMapFd(R1, map.Fd),
            Asm.Mov64Reg(R2, R10),
            Asm.Add64(R2, -4),
            Asm.Call(BpfFunc.BPF_FUNC_map_lookup_elem),
            Asm.Jne(R0, 0, "found"),
            Asm.Mov64Imm(R0, 1),
            Asm.Exit(),
            Asm.Label("found"),
            Asm.Mov64Imm(R1, add),
        };
        if (atomic)
        {
            items.Add(Asm.AtomicOp(BPF_DW, BPF_ADD, R0, R1, 0)); // lock *(u64 *)(r0 + 0) += r1
        }
        else
        {
            items.Add(Asm.LdxMem(BPF_DW, R2, R0, 0));
            items.Add(Asm.Add64(R2, R1));
            items.Add(Asm.StxMem(BPF_DW, R0, R2, 0));
        }
        items.Add(Asm.Mov64Imm(R0, 0));
        items.Add(Asm.Exit());
        return Asm.Program([.. items]);
    }

    /// <summary>
    /// Runs a program once through BPF_PROG_TEST_RUN (on <paramref name="cpu"/>, or the current one) and returns retval:
    /// a raw tracepoint without data (the type that may run on a given CPU), others on a 16-byte packet.
    /// </summary>
    public static uint RunOnce(BpfProgram program, int cpu = -1) =>
        program.TestRun(program.Type == BpfProgType.RawTracepoint ? [] : new byte[16], default, default, default, 1, cpu).Retval;

    /// <summary>An errno the typed API must report: the <see cref="BpfException"/>'s positive errno.</summary>
    public static int ErrnoOf(Action action) => Assert.Throws<BpfException>(action).Errno;

    /// <summary>map_flags for tests that want no preallocation.</summary>
    public const uint NoPrealloc = MapFlags.BPF_F_NO_PREALLOC;
}
