namespace BpfSharp.Verifier;

/// <summary>
/// A reference the program holds and must release before exit, e.g. a socket from bpf_sk_lookup_tcp or a
/// ring buffer record (kernel: struct bpf_reference_state): its id and the instruction that acquired it.
/// </summary>
/// <param name="Id">The reference id, equal to the ref_obj_id of the registers that carry it.</param>
/// <param name="InsnIdx">The instruction that acquired it (the kernel's "alloc_insn").</param>
public readonly record struct VerifierStateReference(uint Id, int InsnIdx);
