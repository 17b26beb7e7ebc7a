namespace BpfSharp.Uapi;

/// <summary>Base argument kinds of helper prototypes (<c>enum bpf_arg_type</c> without its modifier bits).</summary>
public enum BpfArgBase : byte
{
    /// <summary>ARG_DONTCARE: the argument is unused.</summary>
    DontCare,
    /// <summary>ARG_CONST_MAP_PTR: a map (lddw BPF_PSEUDO_MAP_FD).</summary>
    ConstMapPtr,
    /// <summary>ARG_PTR_TO_MAP_KEY: key_size readable bytes of the map in the ARG_CONST_MAP_PTR argument.</summary>
    PtrToMapKey,
    /// <summary>ARG_PTR_TO_MAP_VALUE: value_size bytes of the map in the ARG_CONST_MAP_PTR argument.</summary>
    PtrToMapValue,
    /// <summary>ARG_PTR_TO_MEM: memory whose size is the next (ARG_CONST_SIZE*) argument, or the fixed arg size.</summary>
    PtrToMem,
    /// <summary>ARG_PTR_TO_ARENA: an arena pointer.</summary>
    PtrToArena,
    /// <summary>ARG_CONST_SIZE: the size of the previous memory argument, known and non-zero.</summary>
    ConstSize,
    /// <summary>ARG_CONST_SIZE_OR_ZERO: the size of the previous memory argument, known, may be zero.</summary>
    ConstSizeOrZero,
    /// <summary>ARG_PTR_TO_CTX: the program's context.</summary>
    PtrToCtx,
    /// <summary>ARG_ANYTHING: any initialized value.</summary>
    Anything,
    /// <summary>ARG_PTR_TO_SPIN_LOCK: a struct bpf_spin_lock inside a map value.</summary>
    PtrToSpinLock,
    /// <summary>ARG_PTR_TO_SOCK_COMMON: a struct sock_common.</summary>
    PtrToSockCommon,
    /// <summary>ARG_PTR_TO_SOCKET: a full socket.</summary>
    PtrToSocket,
    /// <summary>ARG_PTR_TO_BTF_ID: a kernel object of the BTF type the prototype names.</summary>
    PtrToBtfId,
    /// <summary>ARG_PTR_TO_RINGBUF_MEM: a record reserved with bpf_ringbuf_reserve.</summary>
    PtrToRingbufMem,
    /// <summary>ARG_CONST_ALLOC_SIZE_OR_ZERO: the size of memory the helper allocates, known, may be zero.</summary>
    ConstAllocSizeOrZero,
    /// <summary>ARG_PTR_TO_BTF_ID_SOCK_COMMON: any socket pointer type.</summary>
    PtrToBtfIdSockCommon,
    /// <summary>ARG_PTR_TO_PERCPU_BTF_ID: a per-CPU kernel variable.</summary>
    PtrToPercpuBtfId,
    /// <summary>ARG_PTR_TO_FUNC: a subprogram (lddw BPF_PSEUDO_FUNC), the callback.</summary>
    PtrToFunc,
    /// <summary>ARG_PTR_TO_STACK: the program's stack.</summary>
    PtrToStack,
    /// <summary>ARG_PTR_TO_CONST_STR: a NUL-terminated string in a read-only map value.</summary>
    PtrToConstStr,
    /// <summary>ARG_PTR_TO_TIMER: a struct bpf_timer inside a map value.</summary>
    PtrToTimer,
    /// <summary>ARG_KPTR_XCHG_DEST: a kptr field of a map value.</summary>
    KptrXchgDest,
    /// <summary>ARG_PTR_TO_DYNPTR: a struct bpf_dynptr on the stack.</summary>
    PtrToDynptr,
    /// <summary>ARG_PTR_TO_LONG: 8 writable, aligned bytes (older kernels; newer ones say ARG_PTR_TO_FIXED_SIZE_MEM of 8).</summary>
    PtrToLong,
    /// <summary>ARG_PTR_TO_INT: 4 writable, aligned bytes (older kernels).</summary>
    PtrToInt,
}

/// <summary>
/// One argument type of a helper prototype: the kernel's <c>enum bpf_arg_type</c> value (a base kind plus
/// <see cref="BpfTypeFlag"/> modifiers) and, for MEM_FIXED_SIZE memory, the size (<c>argN_size</c>).
/// The members named like the kernel's constants let a table read like <c>struct bpf_func_proto</c>:
/// <c>ARG_PTR_TO_MEM | MEM_RDONLY</c>.
/// </summary>
public readonly record struct HelperArgType(BpfArgBase Base, BpfTypeFlag Flags = BpfTypeFlag.None, int Size = 0)
{
    /// <summary>Adds modifier bits.</summary>
    public static HelperArgType operator |(HelperArgType type, BpfTypeFlag flags) => type with { Flags = type.Flags | flags };

    /// <summary>True if the argument carries all of <paramref name="flags"/>.</summary>
    public bool Has(BpfTypeFlag flags) => (Flags & flags) == flags;

    /// <summary>True for the unused-argument marker.</summary>
    public bool IsUnused => Base == BpfArgBase.DontCare;

    /// <summary>The same type with the MEM_FIXED_SIZE size set (<c>.argN_size = size</c>).</summary>
    public HelperArgType WithSize(int size) => this with { Size = size };

    /// <summary>The kernel's spelling, e.g. <c>ARG_PTR_TO_MEM | MEM_RDONLY</c>.</summary>
    public override string ToString() => HelperTypeNames.Format(this);

    /// <summary>ARG_DONTCARE.</summary>
    public static HelperArgType ARG_DONTCARE => new(BpfArgBase.DontCare);
    /// <summary>ARG_CONST_MAP_PTR.</summary>
    public static HelperArgType ARG_CONST_MAP_PTR => new(BpfArgBase.ConstMapPtr);
    /// <summary>ARG_PTR_TO_MAP_KEY.</summary>
    public static HelperArgType ARG_PTR_TO_MAP_KEY => new(BpfArgBase.PtrToMapKey);
    /// <summary>ARG_PTR_TO_MAP_VALUE.</summary>
    public static HelperArgType ARG_PTR_TO_MAP_VALUE => new(BpfArgBase.PtrToMapValue);
    /// <summary>ARG_PTR_TO_MAP_VALUE_OR_NULL = PTR_MAYBE_NULL | ARG_PTR_TO_MAP_VALUE.</summary>
    public static HelperArgType ARG_PTR_TO_MAP_VALUE_OR_NULL => new(BpfArgBase.PtrToMapValue, BpfTypeFlag.PTR_MAYBE_NULL);
    /// <summary>ARG_PTR_TO_UNINIT_MAP_VALUE = MEM_UNINIT | ARG_PTR_TO_MAP_VALUE (older kernels; newer add MEM_WRITE).</summary>
    public static HelperArgType ARG_PTR_TO_UNINIT_MAP_VALUE => new(BpfArgBase.PtrToMapValue, BpfTypeFlag.MEM_UNINIT);
    /// <summary>ARG_PTR_TO_MEM.</summary>
    public static HelperArgType ARG_PTR_TO_MEM => new(BpfArgBase.PtrToMem);
    /// <summary>ARG_PTR_TO_MEM_OR_NULL = PTR_MAYBE_NULL | ARG_PTR_TO_MEM.</summary>
    public static HelperArgType ARG_PTR_TO_MEM_OR_NULL => new(BpfArgBase.PtrToMem, BpfTypeFlag.PTR_MAYBE_NULL);
    /// <summary>ARG_PTR_TO_UNINIT_MEM = MEM_UNINIT | MEM_WRITE | ARG_PTR_TO_MEM.</summary>
    public static HelperArgType ARG_PTR_TO_UNINIT_MEM => new(BpfArgBase.PtrToMem, BpfTypeFlag.MEM_UNINIT | BpfTypeFlag.MEM_WRITE);
    /// <summary>ARG_PTR_TO_FIXED_SIZE_MEM = MEM_FIXED_SIZE | ARG_PTR_TO_MEM (set the size with <see cref="WithSize"/>).</summary>
    public static HelperArgType ARG_PTR_TO_FIXED_SIZE_MEM => new(BpfArgBase.PtrToMem, BpfTypeFlag.MEM_FIXED_SIZE);
    /// <summary>ARG_CONST_SIZE.</summary>
    public static HelperArgType ARG_CONST_SIZE => new(BpfArgBase.ConstSize);
    /// <summary>ARG_CONST_SIZE_OR_ZERO.</summary>
    public static HelperArgType ARG_CONST_SIZE_OR_ZERO => new(BpfArgBase.ConstSizeOrZero);
    /// <summary>ARG_CONST_ALLOC_SIZE_OR_ZERO.</summary>
    public static HelperArgType ARG_CONST_ALLOC_SIZE_OR_ZERO => new(BpfArgBase.ConstAllocSizeOrZero);
    /// <summary>ARG_PTR_TO_CTX.</summary>
    public static HelperArgType ARG_PTR_TO_CTX => new(BpfArgBase.PtrToCtx);
    /// <summary>ARG_PTR_TO_CTX_OR_NULL = PTR_MAYBE_NULL | ARG_PTR_TO_CTX.</summary>
    public static HelperArgType ARG_PTR_TO_CTX_OR_NULL => new(BpfArgBase.PtrToCtx, BpfTypeFlag.PTR_MAYBE_NULL);
    /// <summary>ARG_ANYTHING.</summary>
    public static HelperArgType ARG_ANYTHING => new(BpfArgBase.Anything);
    /// <summary>ARG_PTR_TO_SPIN_LOCK.</summary>
    public static HelperArgType ARG_PTR_TO_SPIN_LOCK => new(BpfArgBase.PtrToSpinLock);
    /// <summary>ARG_PTR_TO_SOCK_COMMON.</summary>
    public static HelperArgType ARG_PTR_TO_SOCK_COMMON => new(BpfArgBase.PtrToSockCommon);
    /// <summary>ARG_PTR_TO_SOCKET.</summary>
    public static HelperArgType ARG_PTR_TO_SOCKET => new(BpfArgBase.PtrToSocket);
    /// <summary>ARG_PTR_TO_BTF_ID.</summary>
    public static HelperArgType ARG_PTR_TO_BTF_ID => new(BpfArgBase.PtrToBtfId);
    /// <summary>ARG_PTR_TO_BTF_ID_OR_NULL = PTR_MAYBE_NULL | ARG_PTR_TO_BTF_ID.</summary>
    public static HelperArgType ARG_PTR_TO_BTF_ID_OR_NULL => new(BpfArgBase.PtrToBtfId, BpfTypeFlag.PTR_MAYBE_NULL);
    /// <summary>ARG_PTR_TO_BTF_ID_SOCK_COMMON.</summary>
    public static HelperArgType ARG_PTR_TO_BTF_ID_SOCK_COMMON => new(BpfArgBase.PtrToBtfIdSockCommon);
    /// <summary>ARG_PTR_TO_PERCPU_BTF_ID.</summary>
    public static HelperArgType ARG_PTR_TO_PERCPU_BTF_ID => new(BpfArgBase.PtrToPercpuBtfId);
    /// <summary>ARG_PTR_TO_RINGBUF_MEM.</summary>
    public static HelperArgType ARG_PTR_TO_RINGBUF_MEM => new(BpfArgBase.PtrToRingbufMem);
    /// <summary>ARG_PTR_TO_FUNC.</summary>
    public static HelperArgType ARG_PTR_TO_FUNC => new(BpfArgBase.PtrToFunc);
    /// <summary>ARG_PTR_TO_STACK.</summary>
    public static HelperArgType ARG_PTR_TO_STACK => new(BpfArgBase.PtrToStack);
    /// <summary>ARG_PTR_TO_STACK_OR_NULL = PTR_MAYBE_NULL | ARG_PTR_TO_STACK.</summary>
    public static HelperArgType ARG_PTR_TO_STACK_OR_NULL => new(BpfArgBase.PtrToStack, BpfTypeFlag.PTR_MAYBE_NULL);
    /// <summary>ARG_PTR_TO_CONST_STR.</summary>
    public static HelperArgType ARG_PTR_TO_CONST_STR => new(BpfArgBase.PtrToConstStr);
    /// <summary>ARG_PTR_TO_TIMER.</summary>
    public static HelperArgType ARG_PTR_TO_TIMER => new(BpfArgBase.PtrToTimer);
    /// <summary>ARG_KPTR_XCHG_DEST.</summary>
    public static HelperArgType ARG_KPTR_XCHG_DEST => new(BpfArgBase.KptrXchgDest);
    /// <summary>ARG_PTR_TO_DYNPTR.</summary>
    public static HelperArgType ARG_PTR_TO_DYNPTR => new(BpfArgBase.PtrToDynptr);
    /// <summary>ARG_PTR_TO_LONG (older kernels).</summary>
    public static HelperArgType ARG_PTR_TO_LONG => new(BpfArgBase.PtrToLong);
    /// <summary>ARG_PTR_TO_INT (older kernels).</summary>
    public static HelperArgType ARG_PTR_TO_INT => new(BpfArgBase.PtrToInt);
}
