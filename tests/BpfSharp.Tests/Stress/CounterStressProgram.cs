using BpfSharp.Isa;
using BpfSharp.Runtime.Helpers;
using static BpfSharp.Isa.Opcodes;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Stress;

/// <summary>
/// The program the stress test runs on many threads at once. Its context (ctx_in) says what to do:
/// <list type="bullet">
/// <item>u32 at 0: a stable key: <c>lock *(u64 *)(r0 + 0) += 1</c> on its counter in the HASH, the ARRAY
/// and the PERCPU_HASH (retval 1 if a lookup misses: stable keys are never deleted).</item>
/// <item>u32 at 4: a churn key that user space (or another run) keeps replacing and deleting: looked up in
/// the HASH and the PERCPU_HASH; the value is read, the pointer held for a while, then read again; each
/// read must be <c>key &lt;&lt; 32 | generation</c> and never the 0xDEADBEEF poison of recycled memory.</item>
/// <item>u32 at 8 and u64 at 16: a key the program itself replaces with bpf_map_update_elem(BPF_ANY),
/// value <c>key &lt;&lt; 32 | generation</c>.</item>
/// </list>
/// What it observes goes into the observations ARRAY (see the index constants); retval 2 = poison seen,
/// 3 = a value of another key seen.
/// </summary>
internal static class CounterStressProgram
{
    /// <summary>Observation: a read returned the poison pattern.</summary>
    public const int Poison = 0;
    /// <summary>Observation: a read returned a value whose key half is not the key looked up.</summary>
    public const int Foreign = 1;
    /// <summary>Observation: a churn key was found (the test must have exercised the race).</summary>
    public const int ChurnHits = 2;
    /// <summary>Observation: a stable key was missing.</summary>
    public const int Missing = 3;
    /// <summary>Observation: the program's own update failed.</summary>
    public const int UpdateFailed = 4;
    /// <summary>Number of observation slots.</summary>
    public const int Observations = 5;

    /// <summary>Context bytes the program reads.</summary>
    public const int ContextSize = 24;

    // Iterations of the loop that holds a value pointer between the two reads.
    private const int HoldIterations = 100;

    public static Instruction[] Build(BpfMap hash, BpfMap array, BpfMap percpu, BpfMap observations)
    {
        var p = new List<AsmItem>
        {
            Asm.Mov64Reg(R6, R1),
            // Stable counters: one atomic add in each map.
            Asm.LdxMem(BPF_W, R7, R6, 0),
            Asm.StxMem(BPF_W, R10, R7, -4),
        };
        foreach (BpfMap map in new[] { hash, array, percpu })
        {
            p.Add(Asm.LdMapFd(R1, map.Fd));
            p.AddRange(Lookup(-4));
            p.Add(Asm.Jeq(R0, 0, "missing"));
            p.Add(Asm.Mov64Imm(R1, 1));
            p.Add(Asm.AtomicOp(BPF_DW, BPF_ADD, R0, R1, 0)); // lock *(u64 *)(r0 + 0) += r1
        }

        // Churn reads: the value must stay the key's, through a pointer held across concurrent deletes.
        p.Add(Asm.LdxMem(BPF_W, R8, R6, 4));
        p.Add(Asm.StxMem(BPF_W, R10, R8, -8));
        foreach ((BpfMap map, string name) in new[] { (hash, "hash"), (percpu, "percpu") })
        {
            p.Add(Asm.LdMapFd(R1, map.Fd));
            p.AddRange(Lookup(-8));
            p.Add(Asm.Jeq(R0, 0, $"absent_{name}"));
            p.Add(Asm.Mov64Reg(R9, R0));
            p.AddRange(CheckValue());
            p.Add(Asm.Mov64Imm(R2, HoldIterations));
            p.Add(Asm.Label($"hold_{name}"));
            p.Add(Asm.Sub64(R2, 1));
            p.Add(Asm.Jne(R2, 0, $"hold_{name}"));
            p.AddRange(CheckValue());
            p.AddRange(Count(observations, ChurnHits, $"hit_{name}"));
            p.Add(Asm.Label($"absent_{name}"));
        }

        // The program's own replacement of a key: value = key << 32 | generation.
        p.Add(Asm.LdxMem(BPF_W, R1, R6, 8));
        p.Add(Asm.StxMem(BPF_W, R10, R1, -32));
        p.Add(Asm.LdxMem(BPF_DW, R2, R6, 16));
        p.Add(Asm.Lsh64(R1, 32));
        p.Add(Asm.Or64(R1, R2));
        p.Add(Asm.StxMem(BPF_DW, R10, R1, -40));
        p.Add(Asm.LdMapFd(R1, hash.Fd));
        p.Add(Asm.Mov64Reg(R2, R10));
        p.Add(Asm.Add64(R2, -32));
        p.Add(Asm.Mov64Reg(R3, R10));
        p.Add(Asm.Add64(R3, -40));
        p.Add(Asm.Mov64Imm(R4, 0)); // BPF_ANY
        p.Add(Asm.Call(BpfFunc.BPF_FUNC_map_update_elem));
        p.Add(Asm.Jeq(R0, 0, "updated"));
        p.AddRange(Count(observations, UpdateFailed, "update_failed"));
        p.Add(Asm.Label("updated"));
        p.Add(Asm.Mov64Imm(R0, 0));
        p.Add(Asm.Exit());

        AddExit(p, observations, "missing", Missing, 1);
        AddExit(p, observations, "poison", Poison, 2);
        AddExit(p, observations, "foreign", Foreign, 3);
        return Asm.Program([.. p]);
    }

    // r0 = bpf_map_lookup_elem(r1, r10 + offset).
    private static IEnumerable<AsmItem> Lookup(short offset) =>
    [
        Asm.Mov64Reg(R2, R10),
        Asm.Add64(R2, offset),
        Asm.Call(BpfFunc.BPF_FUNC_map_lookup_elem),
    ];

    // Reads *(u64 *)r9: poison in either half goes to "poison", a key half other than r8 to "foreign".
    private static IEnumerable<AsmItem> CheckValue() =>
    [
        Asm.LdxMem(BPF_DW, R1, R9, 0),
        Asm.LdImm64(R3, 0xDEADBEEF),
        Asm.Mov64Reg(R2, R1),
        Asm.Rsh64(R2, 32),
        Asm.Jeq(R2, R3, "poison"),
        Asm.Jne(R2, R8, "foreign"),
        Asm.Mov32Reg(R2, R1), // the low half, zero-extended
        Asm.Jeq(R2, R3, "poison"),
    ];

    // observations[index] += 1 (atomically); clobbers r0-r5.
    private static IEnumerable<AsmItem> Count(BpfMap observations, int index, string name) =>
    [
        Asm.StMem(BPF_W, R10, -24, index),
        Asm.LdMapFd(R1, observations.Fd),
        .. Lookup(-24),
        Asm.Jeq(R0, 0, $"counted_{name}"),
        Asm.Mov64Imm(R1, 1),
        Asm.AtomicOp(BPF_DW, BPF_ADD, R0, R1, 0),
        Asm.Label($"counted_{name}"),
    ];

    private static void AddExit(List<AsmItem> p, BpfMap observations, string label, int index, int retval)
    {
        p.Add(Asm.Label(label));
        p.AddRange(Count(observations, index, label));
        p.Add(Asm.Mov64Imm(R0, retval));
        p.Add(Asm.Exit());
    }
}
