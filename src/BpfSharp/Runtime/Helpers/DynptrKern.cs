using BpfSharp.Uapi;

namespace BpfSharp.Runtime.Helpers;

/// <summary>
/// The run-time form of a struct bpf_dynptr (16 bytes on the program's stack) as the kernel lays it out (kernel:
/// struct bpf_dynptr_kern <c>{ void *data; u32 size; u32 offset; }</c>): <c>size</c> holds the length in its low 24
/// bits, the <see cref="BpfDynptrType"/> in bits 28-30 and the read-only flag in bit 31. A null dynptr is all zeros.
/// </summary>
public static unsafe class DynptrKern
{
    /// <summary>The size of the struct (kernel: sizeof(struct bpf_dynptr)).</summary>
    public const int Size = 16;

    /// <summary>The read-only flag in <c>size</c> (kernel: DYNPTR_RDONLY_BIT).</summary>
    public const uint RdonlyBit = 1u << 31;

    /// <summary>Where the type starts in <c>size</c> (kernel: DYNPTR_TYPE_SHIFT).</summary>
    public const int TypeShift = 28;

    /// <summary>The type's bits once shifted down (kernel: DYNPTR_TYPE_MASK).</summary>
    public const uint TypeMask = 0x7;

    /// <summary>The length's bits in <c>size</c> (kernel: DYNPTR_SIZE_MASK).</summary>
    public const uint SizeMask = 0xFFFFFF;

    /// <summary>The largest length a dynptr can have (kernel: DYNPTR_MAX_SIZE).</summary>
    public const uint MaxSize = SizeMask;

    private const int DataOffset = 0, SizeOffset = 8, OffsetOffset = 12;

    /// <summary>The memory the dynptr refers to; null for a null dynptr (kernel: data).</summary>
    public static byte* Data(byte* ptr) => *(byte**)(ptr + DataOffset);

    /// <summary>The start of the dynptr's view within <see cref="Data"/> (kernel: offset).</summary>
    public static uint Offset(byte* ptr) => *(uint*)(ptr + OffsetOffset);

    /// <summary>The length of the view (kernel: __bpf_dynptr_size).</summary>
    public static uint Length(byte* ptr) => *(uint*)(ptr + SizeOffset) & SizeMask;

    /// <summary>True if the memory may not be written through the dynptr (kernel: __bpf_dynptr_is_rdonly).</summary>
    public static bool IsRdonly(byte* ptr) => (*(uint*)(ptr + SizeOffset) & RdonlyBit) != 0;

    /// <summary>The kind of memory (kernel: bpf_dynptr_get_type).</summary>
    public static BpfDynptrType Type(byte* ptr) => (BpfDynptrType)((*(uint*)(ptr + SizeOffset) & ~RdonlyBit) >> TypeShift);

    /// <summary>Fills the struct (kernel: bpf_dynptr_init): <paramref name="data"/>, the type and the length, offset 0.</summary>
    public static void Init(byte* ptr, byte* data, BpfDynptrType type, uint offset, uint size)
    {
        *(byte**)(ptr + DataOffset) = data;
        *(uint*)(ptr + OffsetOffset) = offset;
        *(uint*)(ptr + SizeOffset) = (size & ~(TypeMask << TypeShift)) | ((uint)type << TypeShift);
    }

    /// <summary>Makes it a null dynptr (kernel: bpf_dynptr_set_null, a memset of the 16 bytes).</summary>
    public static void SetNull(byte* ptr) => new Span<byte>(ptr, Size).Clear();

    /// <summary>0, or -E2BIG for a length past <see cref="MaxSize"/> (kernel: bpf_dynptr_check_size).</summary>
    public static int CheckSize(uint size) => size > MaxSize ? -Uapi.Errno.E2BIG : 0;

    /// <summary>0 if <paramref name="len"/> bytes at <paramref name="offset"/> lie in the view, else -E2BIG (kernel: bpf_dynptr_check_off_len).</summary>
    public static int CheckOffLen(byte* ptr, uint offset, uint len)
    {
        uint size = Length(ptr);
        return len > size || offset > size - len ? -Uapi.Errno.E2BIG : 0;
    }
}
