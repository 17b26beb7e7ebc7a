namespace BpfSharp;

/// <summary>What one BPF_PROG_TEST_RUN reports.</summary>
/// <param name="Retval">retval: the last run's return value (the low 32 bits of r0).</param>
/// <param name="Duration">duration: the mean time of one run, in ns.</param>
/// <param name="DataSize">data_size_out: the size of the packet after the runs.</param>
/// <param name="ContextSize">ctx_size_out: the size of the context after the runs (0 when no context was given).</param>
public readonly record struct BpfProgramRunResult(uint Retval, uint Duration, int DataSize, int ContextSize);
