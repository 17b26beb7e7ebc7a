using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BpfSharp.Syscall;
using BpfSharp.Uapi;

namespace BpfSharp;

/// <summary>
/// A map whose keys and values are unmanaged structs: <c>sizeof(TKey)</c> must be key_size and
/// <c>sizeof(TValue)</c> value_size (one CPU's value for per-CPU maps). Every operation is one bpf()
/// command on the keys and values in place; none allocates.
/// </summary>
/// <remarks>
/// <para>Missing keys: <see cref="TryGetValue(TKey, out TValue)"/>, <see cref="Remove(TKey)"/> and <see cref="TryAdd"/> return
/// false; the indexer's getter throws <see cref="KeyNotFoundException"/> (as a dictionary does); every
/// other failure is a <see cref="BpfException"/> with the errno (EINVAL to delete from an array, E2BIG
/// when the map is full, EPERM once frozen, ...).</para>
/// <para>Per-CPU maps have one value per possible CPU: use <see cref="TryGetValues"/>, <see cref="GetValues"/>
/// and <see cref="UpdateValues"/>; the single-value operations throw <see cref="InvalidOperationException"/> on them.</para>
/// <para>Enumeration (<see cref="Keys"/>, <see cref="GetEnumerator"/>) walks with BPF_MAP_GET_NEXT_KEY; see
/// <see cref="Enumerator"/> for what concurrent deletes do to a walk.</para>
/// </remarks>
/// <typeparam name="TKey">The key: exactly key_size bytes.</typeparam>
/// <typeparam name="TValue">The value: exactly value_size bytes.</typeparam>
public sealed unsafe partial class BpfMap<TKey, TValue> : BpfMap
    where TKey : unmanaged
    where TValue : unmanaged
{
    private BpfMap(BpfSystem system, int fd, in BpfMapInfo info) : base(system, fd, info)
    {
        if ((uint)sizeof(TKey) != KeySize)
            throw new ArgumentException($"sizeof({typeof(TKey).Name}) is {sizeof(TKey)}, the map's key_size is {KeySize}", nameof(TKey));
        if ((uint)sizeof(TValue) != ValueSize)
            throw new ArgumentException($"sizeof({typeof(TValue).Name}) is {sizeof(TValue)}, the map's value_size is {ValueSize}", nameof(TValue));
    }

    /// <summary>Creates a map whose key_size and value_size are the sizes of <typeparamref name="TKey"/> and <typeparamref name="TValue"/>.</summary>
    /// <exception cref="BpfException">The system refused the attributes (EINVAL, E2BIG, ENOMEM, ...).</exception>
    public static BpfMap<TKey, TValue> Create(BpfSystem system, BpfMapType type, uint maxEntries, uint flags = 0, string name = "") =>
        Create(system, new BpfMapSpec(type, (uint)sizeof(TKey), (uint)sizeof(TValue), maxEntries) { Flags = flags, Name = name });

    /// <summary>Creates a map from <paramref name="spec"/>, whose sizes must be those of the key and value types.</summary>
    /// <exception cref="ArgumentException">The spec's key_size or value_size is not the size of the type (checked before creating).</exception>
    /// <exception cref="BpfException">The system refused the attributes.</exception>
    public static new BpfMap<TKey, TValue> Create(BpfSystem system, BpfMapSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.KeySize != (uint)sizeof(TKey) || spec.ValueSize != (uint)sizeof(TValue))
            throw new ArgumentException($"the spec's key and value sizes ({spec.KeySize}, {spec.ValueSize}) are not " +
                $"sizeof({typeof(TKey).Name}) = {sizeof(TKey)} and sizeof({typeof(TValue).Name}) = {sizeof(TValue)}", nameof(spec));
        return Adopt(system, CreateFd(system, spec), ownsOnFailure: true, static (s, fd, info) => new BpfMap<TKey, TValue>(s, fd, info));
    }

    /// <summary>Takes ownership of map fd <paramref name="fd"/>; on failure the fd stays open and the caller's.</summary>
    /// <exception cref="ArgumentException">The map's key or value size is not the type's.</exception>
    /// <exception cref="BpfException">The fd is not open (EBADF) or not a map (EINVAL).</exception>
    public static new BpfMap<TKey, TValue> FromFd(BpfSystem system, int fd) =>
        Adopt(system, fd, ownsOnFailure: false, static (s, f, info) => new BpfMap<TKey, TValue>(s, f, info));

    /// <summary>Opens the map pinned at <paramref name="path"/> (BPF_OBJ_GET).</summary>
    /// <exception cref="ArgumentException">The map's key or value size is not the type's.</exception>
    /// <exception cref="BpfException">Nothing is pinned there (ENOENT), or it is not a map (EINVAL).</exception>
    public static new BpfMap<TKey, TValue> Open(BpfSystem system, string path, uint fileFlags = 0) =>
        Adopt(system, ObjGet(system, path, fileFlags), ownsOnFailure: true, static (s, fd, info) => new BpfMap<TKey, TValue>(s, fd, info));

    /// <summary>Opens the map with id <paramref name="id"/> (BPF_MAP_GET_FD_BY_ID).</summary>
    /// <exception cref="ArgumentException">The map's key or value size is not the type's.</exception>
    /// <exception cref="BpfException">No map has that id (ENOENT).</exception>
    public static new BpfMap<TKey, TValue> FromId(BpfSystem system, uint id, uint openFlags = 0) =>
        Adopt(system, GetFdById(system, id, openFlags), ownsOnFailure: true, static (s, fd, info) => new BpfMap<TKey, TValue>(s, fd, info));

    /// <summary>The value of <paramref name="key"/>; setting it is <see cref="Update"/> with BPF_ANY.</summary>
    /// <exception cref="KeyNotFoundException">Get: the key is not in the map (ENOENT).</exception>
    /// <exception cref="BpfException">Any other error.</exception>
    public TValue this[TKey key]
    {
        get
        {
            if (!TryGetValue(key, out TValue value))
                throw new KeyNotFoundException($"BPF_MAP_LOOKUP_ELEM: ENOENT: the key is not in map {Id}");
            return value;
        }
        set => Update(key, value, MapFlags.BPF_ANY);
    }

    /// <summary>The value of <paramref name="key"/> (BPF_MAP_LOOKUP_ELEM); false if it is not in the map.</summary>
    /// <exception cref="InvalidOperationException">A per-CPU map (use <see cref="TryGetValues"/>).</exception>
    /// <exception cref="BpfException">Any error but ENOENT.</exception>
    public bool TryGetValue(TKey key, out TValue value) => TryGetValue(key, out value, 0);

    /// <summary>The value of <paramref name="key"/> with lookup flags (BPF_F_LOCK: copied under the value's spin lock).</summary>
    /// <exception cref="InvalidOperationException">A per-CPU map (use <see cref="TryGetValues"/>).</exception>
    /// <exception cref="BpfException">Any error but ENOENT.</exception>
    public bool TryGetValue(TKey key, out TValue value, ulong flags)
    {
        ThrowIfPerCpu();
        Unsafe.SkipInit(out TValue v);
        int rc = Elem(BpfCommand.MapLookupElem, &key, &v, flags);
        value = rc == 0 ? v : default;
        return Found(BpfCommand.MapLookupElem, rc);
    }

    /// <summary>
    /// Sets the value of <paramref name="key"/> (BPF_MAP_UPDATE_ELEM): BPF_ANY (create or replace),
    /// BPF_NOEXIST (create only), BPF_EXIST (replace only), with BPF_F_LOCK.
    /// </summary>
    /// <exception cref="InvalidOperationException">A per-CPU map (use <see cref="UpdateValues"/>).</exception>
    /// <exception cref="BpfException">EEXIST, ENOENT (for the flags above), E2BIG (full), EPERM (frozen), ...</exception>
    public void Update(TKey key, TValue value, ulong flags = MapFlags.BPF_ANY)
    {
        ThrowIfPerCpu();
        Check(BpfCommand.MapUpdateElem, Elem(BpfCommand.MapUpdateElem, &key, &value, flags));
    }

    /// <summary>Adds <paramref name="key"/> unless it is in the map (BPF_NOEXIST); false if it was.</summary>
    /// <exception cref="InvalidOperationException">A per-CPU map.</exception>
    /// <exception cref="BpfException">Any error but EEXIST (E2BIG when full, ...).</exception>
    public bool TryAdd(TKey key, TValue value)
    {
        ThrowIfPerCpu();
        int rc = Elem(BpfCommand.MapUpdateElem, &key, &value, MapFlags.BPF_NOEXIST);
        if (rc == -Errno.EEXIST) return false;
        Check(BpfCommand.MapUpdateElem, rc);
        return true;
    }

    /// <summary>Deletes <paramref name="key"/> (BPF_MAP_DELETE_ELEM); false if it was not in the map.</summary>
    /// <exception cref="BpfException">EINVAL for arrays (their elements cannot be deleted), EPERM (frozen), ...</exception>
    public bool Remove(TKey key) => Found(BpfCommand.MapDeleteElem, Elem(BpfCommand.MapDeleteElem, &key, null, 0));

    /// <summary>Deletes <paramref name="key"/> and returns its value (BPF_MAP_LOOKUP_AND_DELETE_ELEM); false if it was not in the map.</summary>
    /// <exception cref="InvalidOperationException">A per-CPU map.</exception>
    /// <exception cref="BpfException">ENOTSUPP for map types without it (arrays), ...</exception>
    public bool Remove(TKey key, out TValue value)
    {
        ThrowIfPerCpu();
        Unsafe.SkipInit(out TValue v);
        int rc = Elem(BpfCommand.MapLookupAndDeleteElem, &key, &v, 0);
        value = rc == 0 ? v : default;
        return Found(BpfCommand.MapLookupAndDeleteElem, rc);
    }

    /// <summary>True if <paramref name="key"/> is in the map (a lookup into scratch memory; any map type).</summary>
    /// <exception cref="BpfException">Any error but ENOENT.</exception>
    [SkipLocalsInit]
    public bool ContainsKey(TKey key)
    {
        using var scratch = new Scratch(stackalloc byte[ScratchBytes], UserValueSize);
        return Found(BpfCommand.MapLookupElem, Elem(BpfCommand.MapLookupElem, &key, scratch.Pointer, 0));
    }

    /// <summary>The first key of the walk (BPF_MAP_GET_NEXT_KEY with no key); false if the map is empty.</summary>
    /// <exception cref="BpfException">Any error but ENOENT.</exception>
    public bool TryGetFirstKey(out TKey first)
    {
        Unsafe.SkipInit(out TKey next);
        bool found = Found(BpfCommand.MapGetNextKey, Elem(BpfCommand.MapGetNextKey, null, &next, 0));
        first = found ? next : default;
        return found;
    }

    /// <summary>
    /// The key after <paramref name="key"/> (BPF_MAP_GET_NEXT_KEY); the first key if <paramref name="key"/>
    /// is no longer in the map; false after the last key.
    /// </summary>
    /// <exception cref="BpfException">Any error but ENOENT.</exception>
    public bool TryGetNextKey(TKey key, out TKey next)
    {
        Unsafe.SkipInit(out TKey n);
        bool found = Found(BpfCommand.MapGetNextKey, Elem(BpfCommand.MapGetNextKey, &key, &n, 0));
        next = found ? n : default;
        return found;
    }

    private void ThrowIfPerCpu()
    {
        if (IsPerCpu)
            throw new InvalidOperationException($"{Type} has a value per CPU: use TryGetValues, GetValues and UpdateValues");
    }

    // Values up to this size are staged on the stack; larger ones in native memory.
    private const int ScratchBytes = 256;

    /// <summary>Memory for a value the caller does not keep: the stack span if it is large enough, else native memory.</summary>
    private ref struct Scratch
    {
        private void* _heap;

        public Scratch(Span<byte> stack, uint length)
        {
            if (length <= (uint)stack.Length)
            {
                _heap = null;
                Pointer = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(stack));
            }
            else
            {
                _heap = NativeMemory.Alloc(length);
                Pointer = (byte*)_heap;
            }
        }

        public byte* Pointer { get; }

        public void Dispose()
        {
            if (_heap != null) NativeMemory.Free(_heap);
            _heap = null;
        }
    }
}
