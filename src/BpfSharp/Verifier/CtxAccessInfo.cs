namespace BpfSharp.Verifier;

/// <summary>
/// What a valid context access yields (kernel: struct bpf_insn_access_aux): the type the loaded register
/// gets, and for a narrow load the size of the whole field it reads part of.
/// </summary>
public struct CtxAccessInfo
{
    /// <summary>
    /// The type of the register a load fills: <see cref="RegType.ScalarValue"/> unless the field is a pointer
    /// (say <c>__sk_buff.data</c>, a <see cref="RegType.PtrToPacket"/>) (kernel: reg_type).
    /// </summary>
    public RegType RegType;

    /// <summary>
    /// The size of the field a narrower load may read part of (kernel: ctx_field_size); 0 for a field that
    /// allows no narrow loads. As in the kernel, a type records it on every read of such a field, whole or not,
    /// so the load is narrower when its size is below this.
    /// </summary>
    public int CtxFieldSize;

    /// <summary>The load is sign-extending (BPF_MEMSX) (kernel: is_ldsx).</summary>
    public bool IsLdsx;

    /// <summary>For a <see cref="RegType.PtrToBtfId"/> field: the BTF of <see cref="BtfId"/> (kernel: btf).</summary>
    public Elf.Btf.BtfBlob? Btf;

    /// <summary>For a <see cref="RegType.PtrToBtfId"/> field: the struct it points to (kernel: btf_id).</summary>
    public uint BtfId;

    /// <summary>
    /// Text the access check writes to the verifier log, whether it allows the access or not (kernel: the bpf_log
    /// calls of btf_ctx_access), each line ending in a newline; null for none.
    /// </summary>
    public string? Log;
}
