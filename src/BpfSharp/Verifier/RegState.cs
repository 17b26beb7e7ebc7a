using BpfSharp.Maps;
using BpfSharp.Uapi;

namespace BpfSharp.Verifier;

/// <summary>
/// What the verifier knows about one register, or about a register spilled to the stack (kernel: struct
/// bpf_reg_state). A mutable value type: states are copied by assignment (the kernel copies with memcpy),
/// and the Mark* methods change it in place, as the kernel's __mark_reg_* functions do.
/// </summary>
public struct RegState : IEquatable<RegState>
{
    /// <summary>The id flag the kernel sets when a scalar was derived from another by a 64-bit addition or
    /// subtraction of a constant (kernel: BPF_ADD_CONST64); the constant is kept in <see cref="Off"/>.</summary>
    public const uint AddConst64 = 1u << 31;

    /// <summary>The same for a 32-bit addition or subtraction, whose result is zero-extended (kernel: BPF_ADD_CONST32).</summary>
    public const uint AddConst32 = 1u << 30;

    /// <summary>Either add-const flag (kernel: BPF_ADD_CONST); a scalar carrying one is printed as <c>id=N+off</c>.</summary>
    public const uint AddConstFlag = AddConst64 | AddConst32;

    /// <summary>What the register holds (kernel: type).</summary>
    public RegType Type;

    /// <summary>
    /// The fixed part of a pointer's offset, added to <see cref="Bounds"/>' variable part (kernel: off); for a
    /// scalar with <see cref="AddConstFlag"/> in its <see cref="Id"/>, the constant added.
    /// </summary>
    public int Off;

    /// <summary>
    /// The bytes known safe to access past a packet pointer (kernel: range); negative values are the kernel's
    /// markers for comparisons against pkt_end (AT_PKT_END = -1, BEYOND_PKT_END = -2).
    /// </summary>
    public int Range;

    /// <summary>The map of a map pointer, map key or map value (kernel: map_ptr).</summary>
    public MapAttributes? MapPtr;

    /// <summary>The size of the memory a PTR_TO_MEM points to (kernel: mem_size).</summary>
    public uint MemSize;

    /// <summary>The BTF that <see cref="BtfId"/> is a type of, for a PTR_TO_BTF_ID (kernel: btf).</summary>
    public Elf.Btf.BtfBlob? Btf;

    /// <summary>The struct a PTR_TO_BTF_ID points to, a type id of <see cref="Btf"/> (kernel: btf_id).</summary>
    public uint BtfId;

    /// <summary>
    /// The scalar value or, for pointers, the variable part of the offset: var_off and the eight bounds
    /// (kernel: var_off, smin_value .. u32_max_value).
    /// </summary>
    public ScalarBounds Bounds;

    /// <summary>
    /// Ties registers that hold the same value or pointer: a null check or a range check on one applies to
    /// all copies with the same id (kernel: id). May carry <see cref="AddConstFlag"/>.
    /// </summary>
    public uint Id;

    /// <summary>The id of the acquired reference this pointer came from; 0 if none (kernel: ref_obj_id).</summary>
    public uint RefObjId;

    /// <summary>The frame a stack pointer points into (kernel: frameno).</summary>
    public int Frameno;

    /// <summary>
    /// The subprogram a PTR_TO_FUNC points to (kernel: subprogno, which shares its union with mem_size: it is kept in
    /// <see cref="MemSize"/>, so that it is compared and copied with it).
    /// </summary>
    public int SubprogNo
    {
        readonly get => (int)MemSize;
        set => MemSize = (uint)value;
    }

    /// <summary>
    /// For a slice bpf_dynptr_data returned: the id of the dynptr it came from (kernel: dynptr_id, which follows
    /// mem_size in the register's union).
    /// </summary>
    public uint DynptrId;

    /// <summary>
    /// For a dynptr's stack slots (and CONST_PTR_TO_DYNPTR): the kind of memory it refers to (kernel: dynptr.type, which
    /// shares the union's first word with mem_size: it is kept in <see cref="MemSize"/>).
    /// </summary>
    public BpfDynptrType DynptrType
    {
        readonly get => (BpfDynptrType)MemSize;
        set => MemSize = (uint)value;
    }

    /// <summary>
    /// For a dynptr's stack slots: this is its first (higher) slot (kernel: dynptr.first_slot, the byte after dynptr.type,
    /// where dynptr_id's low byte is: it is kept there, so that the log shows it as the kernel's does).
    /// </summary>
    public bool DynptrFirstSlot
    {
        readonly get => (DynptrId & 0xff) != 0;
        set => DynptrId = (DynptrId & ~0xffu) | (value ? 1u : 0u);
    }

    /// <summary>The exact value matters for safety: states are compared exactly when pruning (kernel: precise).</summary>
    public bool Precise;

    /// <summary>An unreadable register (kernel: the state __mark_reg_not_init leaves).</summary>
    public static RegState NotInit
    {
        get
        {
            RegState r = default;
            r.MarkNotInit();
            return r;
        }
    }

    /// <summary>A completely unknown scalar (kernel: __mark_reg_unknown).</summary>
    public static RegState UnknownScalar(bool precise = false)
    {
        RegState r = default;
        r.MarkUnknown(precise);
        return r;
    }

    /// <summary>The scalar constant <paramref name="value"/> (kernel: __mark_reg_known on a SCALAR_VALUE).</summary>
    public static RegState KnownScalar(ulong value)
    {
        RegState r = default;
        r.Type = RegType.ScalarValue;
        r.MarkKnown(value);
        return r;
    }

    /// <summary>A scalar with the given bounds and no id.</summary>
    public static RegState Scalar(ScalarBounds bounds)
    {
        RegState r = default;
        r.Type = RegType.ScalarValue;
        r.Bounds = bounds;
        return r;
    }

    /// <summary>
    /// A pointer of type <paramref name="type"/> at fixed offset <paramref name="off"/> with no variable part
    /// (kernel: mark_reg_known_zero, then the type and offset set).
    /// </summary>
    public static RegState Pointer(RegType type, int off = 0)
    {
        RegState r = default;
        r.MarkKnownZero();
        r.Type = type;
        r.Off = off;
        return r;
    }

    /// <summary>A pointer into the stack of frame <paramref name="frameno"/> at <c>fp+off</c> (R10 is fp0).</summary>
    public static RegState StackPointer(int frameno, int off = 0)
    {
        RegState r = Pointer(RegType.PtrToStack, off);
        r.Frameno = frameno;
        return r;
    }

    /// <summary>A pointer carrying map <paramref name="map"/>: map_ptr, map_key or map_value (maybe null).</summary>
    public static RegState MapPointer(RegType type, Map map, int off = 0, uint id = 0) =>
        MapPointer(type, map.Attributes, off, id);

    /// <summary>A pointer carrying the map described by <paramref name="map"/> (an inner-map template, say).</summary>
    public static RegState MapPointer(RegType type, MapAttributes map, int off = 0, uint id = 0)
    {
        RegState r = Pointer(type, off);
        r.MapPtr = map;
        r.Id = id;
        return r;
    }

    /// <summary>The variable part of the value or offset (kernel: var_off).</summary>
    public readonly Tnum VarOff => Bounds.VarOff;

    /// <summary>True unless the register is NOT_INIT or a scalar.</summary>
    public readonly bool IsPointer => Type.IsPointer();

    /// <summary>True for a scalar constant (kernel: register_is_const).</summary>
    public readonly bool IsConst => Type == RegType.ScalarValue && Bounds.VarOff.IsConst;

    /// <summary>True for the scalar constant 0 (kernel: register_is_null).</summary>
    public readonly bool IsNull => Type == RegType.ScalarValue && Bounds.VarOff.EqualsConst(0);

    /// <summary>
    /// Clears everything but the type and the bounds: offset, range, map, memory size, ids, frame number
    /// (kernel: the memset up to var_off in __mark_reg_known and __mark_reg_unknown_imprecise).
    /// </summary>
    private void ClearPointerFields()
    {
        Off = 0;
        Range = 0;
        MapPtr = null;
        MemSize = 0;
        Btf = null;
        BtfId = 0;
        Id = 0;
        RefObjId = 0;
        Frameno = 0;
        DynptrId = 0;
    }

    /// <summary>
    /// Makes the value the known constant <paramref name="value"/>, keeping the type (kernel: __mark_reg_known):
    /// the pointer fields and ids are cleared, var_off and all bounds become the constant.
    /// </summary>
    public void MarkKnown(ulong value)
    {
        ClearPointerFields();
        Bounds.MarkKnown(value);
    }

    /// <summary>Makes the value the known constant 0, keeping the type (kernel: __mark_reg_known_zero).</summary>
    public void MarkKnownZero() => MarkKnown(0);

    /// <summary>
    /// Makes the register the scalar constant 0 (kernel: __mark_reg_const_zero); <paramref name="precise"/> is
    /// the kernel's <c>!env->bpf_capable</c>.
    /// </summary>
    public void MarkConstZero(bool precise = false)
    {
        MarkKnown(0);
        Type = RegType.ScalarValue;
        Precise = precise;
    }

    /// <summary>
    /// Makes the register a completely unknown scalar (kernel: __mark_reg_unknown); <paramref name="precise"/>
    /// is the kernel's <c>!env->bpf_capable</c> (precision tracking is off for unprivileged loads).
    /// </summary>
    public void MarkUnknown(bool precise = false)
    {
        ClearPointerFields();
        Type = RegType.ScalarValue;
        Bounds = ScalarBounds.Unknown;
        Precise = precise;
    }

    /// <summary>Makes the register unreadable (kernel: __mark_reg_not_init).</summary>
    public void MarkNotInit()
    {
        MarkUnknown();
        Type = RegType.NotInit;
    }

    /// <summary>Field-wise equality (the map compared by reference).</summary>
    public readonly bool Equals(RegState other) =>
        Type == other.Type && Off == other.Off && Range == other.Range && ReferenceEquals(MapPtr, other.MapPtr)
        && MemSize == other.MemSize && ReferenceEquals(Btf, other.Btf) && BtfId == other.BtfId && Bounds == other.Bounds && Id == other.Id && RefObjId == other.RefObjId
        && Frameno == other.Frameno && Precise == other.Precise && DynptrId == other.DynptrId;

    /// <inheritdoc/>
    public override readonly bool Equals(object? obj) => obj is RegState other && Equals(other);

    /// <inheritdoc/>
    public override readonly int GetHashCode() => HashCode.Combine(Type, Off, Bounds, Id, RefObjId, Frameno);

    /// <summary>Field-wise equality.</summary>
    public static bool operator ==(RegState left, RegState right) => left.Equals(right);

    /// <summary>Field-wise inequality.</summary>
    public static bool operator !=(RegState left, RegState right) => !left.Equals(right);

    /// <summary>The kernel's log text for this register seen from frame 0 (see <see cref="StatePrinter.RegText"/>).</summary>
    public override readonly string ToString() => StatePrinter.RegText(this, 0);
}
