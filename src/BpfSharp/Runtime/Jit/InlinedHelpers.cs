using System.Reflection;
using BpfSharp.Runtime.Helpers;

namespace BpfSharp.Runtime.Jit;

/// <summary>
/// Helpers the JIT compiles into the program instead of calling (as the kernel's JIT inlines a few): today
/// bpf_get_prandom_u32 as <see cref="CpuHelpers"/> implements it. The generator is looked up once per method run
/// (<see cref="CpuHelpers.PrandomOf"/>) and each call is one <see cref="Prandom.NextU32"/> step on it, so the numbers
/// are the interpreter's, in the same order; such a call cannot fault, end the program or read the caller's pc, so it
/// needs neither the pc store nor the exit test of a helper call.
/// </summary>
internal static class InlinedHelpers
{
    private static readonly MethodInfo GetPrandomU32 = typeof(CpuHelpers).GetMethod(nameof(CpuHelpers.GetPrandomU32))!;

    /// <summary>CpuHelpers.PrandomOf(run): the generator of the run's thread.</summary>
    internal static readonly MethodInfo PrandomOf = MethodCompiler.Method(typeof(CpuHelpers), nameof(CpuHelpers.PrandomOf), instance: true);

    /// <summary>Prandom.NextU32(): one step.</summary>
    internal static readonly MethodInfo NextU32 = MethodCompiler.Method(typeof(Prandom), nameof(Prandom.NextU32), instance: true);

    /// <summary>True if <paramref name="helper"/> is <see cref="CpuHelpers.GetPrandomU32"/> on a <see cref="CpuHelpers"/>.</summary>
    public static bool IsPrandom(BpfHelper? helper) =>
        helper is not null && helper.HasSingleTarget && helper.Target is CpuHelpers && helper.Method.Equals(GetPrandomU32);
}
