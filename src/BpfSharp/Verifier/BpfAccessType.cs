namespace BpfSharp.Verifier;

/// <summary>Whether an instruction reads or writes memory (kernel: enum bpf_access_type).</summary>
public enum BpfAccessType
{
    /// <summary>A load (kernel: BPF_READ).</summary>
    Read = 1,
    /// <summary>A store (kernel: BPF_WRITE).</summary>
    Write = 2,
}
