namespace BpfSharp.Uapi;

/// <summary>
/// Modifier bits the kernel ORs into helper argument and return types (<c>enum bpf_type_flag</c>):
/// <c>ARG_PTR_TO_MEM | MEM_RDONLY</c>, <c>RET_PTR_TO_MAP_VALUE_OR_NULL</c> = <c>PTR_MAYBE_NULL | RET_PTR_TO_MAP_VALUE</c>.
/// The names are the kernel's; the bit values are ours (the kernel's are not UAPI).
/// </summary>
[Flags]
public enum BpfTypeFlag : uint
{
    /// <summary>No modifier.</summary>
    None = 0,
    /// <summary>PTR_MAYBE_NULL: the pointer may be NULL.</summary>
    PTR_MAYBE_NULL = 1u << 0,
    /// <summary>MEM_RDONLY: the memory is only read.</summary>
    MEM_RDONLY = 1u << 1,
    /// <summary>MEM_RINGBUF: the memory is a ring buffer record.</summary>
    MEM_RINGBUF = 1u << 2,
    /// <summary>MEM_USER: user-space memory.</summary>
    MEM_USER = 1u << 3,
    /// <summary>MEM_PERCPU: per-CPU memory.</summary>
    MEM_PERCPU = 1u << 4,
    /// <summary>OBJ_RELEASE: the helper releases the reference the argument holds.</summary>
    OBJ_RELEASE = 1u << 5,
    /// <summary>PTR_UNTRUSTED: the pointer may not be dereferenced directly.</summary>
    PTR_UNTRUSTED = 1u << 6,
    /// <summary>MEM_UNINIT: the helper does not read the memory (it may be uninitialized).</summary>
    MEM_UNINIT = 1u << 7,
    /// <summary>DYNPTR_TYPE_LOCAL: a dynptr to local (stack or map value) memory.</summary>
    DYNPTR_TYPE_LOCAL = 1u << 8,
    /// <summary>DYNPTR_TYPE_RINGBUF: a dynptr to a ring buffer record.</summary>
    DYNPTR_TYPE_RINGBUF = 1u << 9,
    /// <summary>MEM_FIXED_SIZE: the size is fixed by the prototype (the arg size field), not by the next argument.</summary>
    MEM_FIXED_SIZE = 1u << 10,
    /// <summary>MEM_ALLOC: memory from the BPF allocator.</summary>
    MEM_ALLOC = 1u << 11,
    /// <summary>PTR_TRUSTED: a trusted BTF pointer.</summary>
    PTR_TRUSTED = 1u << 12,
    /// <summary>MEM_WRITE: the helper writes the memory.</summary>
    MEM_WRITE = 1u << 13,
    /// <summary>MEM_ALIGNED: the memory must be aligned to its size.</summary>
    MEM_ALIGNED = 1u << 14,
}
