using BpfSharp.Uapi;
using BpfSharp.Verifier;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// BPF_PROG_TYPE_SYSCALL (kernel: bpf_syscall_verifier_ops): a sleepable program run from BPF_PROG_TEST_RUN whose
/// context is the caller's buffer: any aligned read or write below U16_MAX (65535) bytes; how far it reaches (kernel:
/// max_ctx_offset) is checked against the buffer given at run time. Any return value.
/// </summary>
internal sealed class SyscallOps() : KernelVerifierOps(BpfProgType.Syscall, MaxCtxSize)
{
    /// <summary>U16_MAX: the bound on a syscall program's context offsets.</summary>
    public const int MaxCtxSize = ushort.MaxValue;

    /// <inheritdoc/>
    public override bool IsValidAccess(int off, int size, BpfAccessType type, uint expectedAttachType, ref CtxAccessInfo info) =>
        // kernel: syscall_prog_is_valid_access
        off >= 0 && off < MaxCtxSize && off % size == 0;
}
