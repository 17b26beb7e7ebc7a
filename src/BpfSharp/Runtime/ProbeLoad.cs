using System.Runtime.CompilerServices;
using BpfSharp.Runtime.Helpers;

namespace BpfSharp.Runtime;

/// <summary>
/// The kernel's BPF_PROBE_MEM / BPF_PROBE_MEMSX loads, the way the verifier has loads through kernel pointers
/// (PTR_TO_BTF_ID) run: the address is read only if the run may read it (<see cref="RunContext.AccessibleLength"/>)
/// or it lies in the host's <see cref="RunContext.ProbeMemory"/> kernel regions; anywhere else the load gives 0, as
/// the kernel's exception table makes a faulting probe load do. The interpreter and the JIT both call
/// <see cref="Load"/>; the semantics live only here.
/// </summary>
internal static unsafe class ProbeLoad
{
    /// <summary>The probe-load operation of the load <paramref name="op"/> (loads of other kinds stay as they are).</summary>
    public static ExecOp Of(ExecOp op) => op switch
    {
        ExecOp.LdxB or ExecOp.LdAcqB => ExecOp.ProbeLdxB,
        ExecOp.LdxH or ExecOp.LdAcqH => ExecOp.ProbeLdxH,
        ExecOp.LdxW or ExecOp.LdAcqW => ExecOp.ProbeLdxW,
        ExecOp.LdxDW or ExecOp.LdAcqDW => ExecOp.ProbeLdxDW,
        ExecOp.LdxSxB => ExecOp.ProbeLdxSxB,
        ExecOp.LdxSxH => ExecOp.ProbeLdxSxH,
        ExecOp.LdxSxW => ExecOp.ProbeLdxSxW,
        _ => op,
    };

    /// <summary>
    /// The value of probe load <paramref name="op"/> (a <c>ProbeLdx*</c>) at <paramref name="address"/>: the bytes
    /// zero- or sign-extended, or 0 when they are not readable.
    /// </summary>
    public static ulong Load(RunContext run, ulong address, ExecOp op)
    {
        int size = op switch
        {
            ExecOp.ProbeLdxB or ExecOp.ProbeLdxSxB => 1,
            ExecOp.ProbeLdxH or ExecOp.ProbeLdxSxH => 2,
            ExecOp.ProbeLdxW or ExecOp.ProbeLdxSxW => 4,
            _ => 8,
        };
        if (!Readable(run, address, (ulong)size)) return 0;
        return op switch
        {
            ExecOp.ProbeLdxB => *(byte*)address,
            ExecOp.ProbeLdxH => Unsafe.ReadUnaligned<ushort>((void*)address),
            ExecOp.ProbeLdxW => Unsafe.ReadUnaligned<uint>((void*)address),
            ExecOp.ProbeLdxSxB => (ulong)(long)*(sbyte*)address,
            ExecOp.ProbeLdxSxH => (ulong)(long)Unsafe.ReadUnaligned<short>((void*)address),
            ExecOp.ProbeLdxSxW => (ulong)(long)Unsafe.ReadUnaligned<int>((void*)address),
            _ => Unsafe.ReadUnaligned<ulong>((void*)address),
        };
    }

    private static bool Readable(RunContext run, ulong address, ulong size) =>
        address + size >= address && NofaultMemory.ReadableLength(run, run.ProbeMemory, ProbeSpace.Kernel, address) >= size;
}
