using static BpfSharp.Runtime.Helpers.BpfFunc;

namespace BpfSharp.Runtime.Helpers;

/// <summary>bpf_get_smp_processor_id (the run's <see cref="RunContext.Cpu"/>), bpf_get_numa_node_id (0) and bpf_get_prandom_u32.</summary>
public sealed class CpuHelpers
{
    private readonly HelperEnvironment _env;

    /// <summary>Helpers drawing random numbers from <paramref name="env"/>'s per-thread generators.</summary>
    public CpuHelpers(HelperEnvironment env) => _env = env ?? throw new ArgumentNullException(nameof(env));

    /// <summary>Registers get_prandom_u32, get_smp_processor_id and get_numa_node_id under their kernel ids.</summary>
    public static void Register(HelperRegistry registry, HelperEnvironment env)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var helpers = new CpuHelpers(env);
        registry.Register(BPF_FUNC_get_prandom_u32, Name(BPF_FUNC_get_prandom_u32), helpers.GetPrandomU32, HelperFlags.Pure)
            .Register(BPF_FUNC_get_smp_processor_id, Name(BPF_FUNC_get_smp_processor_id), GetSmpProcessorId, HelperFlags.Pure)
            .Register(BPF_FUNC_get_numa_node_id, Name(BPF_FUNC_get_numa_node_id), GetNumaNodeId, HelperFlags.Pure);
    }

    /// <summary>u32 bpf_get_prandom_u32(void): a pseudo-random number from the calling thread's generator.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public ulong GetPrandomU32(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) => run.PrandomOf(_env).NextU32();

    /// <summary>The generator <see cref="GetPrandomU32"/> draws from in <paramref name="run"/> (the JIT inlines its steps).</summary>
    internal Prandom PrandomOf(RunContext run) => run.PrandomOf(_env);

    /// <summary>u32 bpf_get_smp_processor_id(void): <see cref="RunContext.Cpu"/>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static ulong GetSmpProcessorId(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) => (uint)run.Cpu;

    /// <summary>long bpf_get_numa_node_id(void): 0, the only node.</summary>
    public static ulong GetNumaNodeId(RunContext run, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5) => 0;
}
