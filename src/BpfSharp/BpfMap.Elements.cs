using BpfSharp.Syscall;
using BpfSharp.Uapi;

namespace BpfSharp;

// Element commands at the byte level: BPF_MAP_LOOKUP_ELEM, UPDATE_ELEM, DELETE_ELEM, GET_NEXT_KEY,
// LOOKUP_AND_DELETE_ELEM, and push / pop / peek (the same commands with no key).
public unsafe partial class BpfMap
{
    /// <summary>
    /// Copies the value of <paramref name="key"/> into <paramref name="value"/> (at least
    /// <see cref="UserValueSize"/> bytes: all CPUs' slots for per-CPU maps). False if the key is not
    /// in the map. <paramref name="flags"/>: 0 or BPF_F_LOCK.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than the map's key or value.</exception>
    /// <exception cref="BpfException">Any error but ENOENT.</exception>
    public bool TryLookup(ReadOnlySpan<byte> key, Span<byte> value, ulong flags = 0)
    {
        CheckKey(key);
        CheckValue(value.Length);
        fixed (byte* k = key)
        fixed (byte* v = value)
            return Found(BpfCommand.MapLookupElem, Elem(BpfCommand.MapLookupElem, k, v, flags));
    }

    /// <summary>
    /// Sets the value of <paramref name="key"/> (BPF_MAP_UPDATE_ELEM). <paramref name="flags"/>:
    /// BPF_ANY (create or replace), BPF_NOEXIST (create only), BPF_EXIST (replace only), with BPF_F_LOCK.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than the map's key or value.</exception>
    /// <exception cref="BpfException">EEXIST (BPF_NOEXIST, key present), ENOENT (BPF_EXIST, key absent), E2BIG (map full), EPERM (frozen), ...</exception>
    public void Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags = MapFlags.BPF_ANY)
    {
        CheckKey(key);
        CheckValue(value.Length);
        fixed (byte* k = key)
        fixed (byte* v = value)
            Check(BpfCommand.MapUpdateElem, Elem(BpfCommand.MapUpdateElem, k, v, flags));
    }

    /// <summary>Deletes <paramref name="key"/> (BPF_MAP_DELETE_ELEM); false if it was not in the map.</summary>
    /// <exception cref="BpfException">EINVAL for arrays (their elements cannot be deleted), EPERM (frozen), ...</exception>
    public bool Delete(ReadOnlySpan<byte> key)
    {
        CheckKey(key);
        fixed (byte* k = key)
            return Found(BpfCommand.MapDeleteElem, Elem(BpfCommand.MapDeleteElem, k, null, 0));
    }

    /// <summary>
    /// Writes the key after <paramref name="key"/> to <paramref name="nextKey"/> (BPF_MAP_GET_NEXT_KEY);
    /// an empty <paramref name="key"/> asks for the first key, and so does a key no longer in the map
    /// (the kernel restarts the walk). False after the last key.
    /// </summary>
    /// <exception cref="BpfException">Any error but ENOENT.</exception>
    public bool TryGetNextKey(ReadOnlySpan<byte> key, Span<byte> nextKey)
    {
        if (!key.IsEmpty) CheckKey(key);
        if ((uint)nextKey.Length < KeySize) throw SpanTooShort(nameof(nextKey), KeySize);
        fixed (byte* k = key)
        fixed (byte* n = nextKey)
            return Found(BpfCommand.MapGetNextKey, Elem(BpfCommand.MapGetNextKey, key.IsEmpty ? null : k, n, 0));
    }

    /// <summary>
    /// Copies the value of <paramref name="key"/> out and deletes the element in one step
    /// (BPF_MAP_LOOKUP_AND_DELETE_ELEM); false if the key is not in the map.
    /// </summary>
    /// <exception cref="BpfException">ENOTSUPP for map types without it (arrays), ...</exception>
    public bool TryLookupAndDelete(ReadOnlySpan<byte> key, Span<byte> value, ulong flags = 0)
    {
        CheckKey(key);
        CheckValue(value.Length);
        fixed (byte* k = key)
        fixed (byte* v = value)
            return Found(BpfCommand.MapLookupAndDeleteElem, Elem(BpfCommand.MapLookupAndDeleteElem, k, v, flags));
    }

    /// <summary>
    /// Queue, stack, bloom filter: adds <paramref name="value"/> (BPF_MAP_UPDATE_ELEM without a key).
    /// <paramref name="flags"/>: BPF_ANY, or BPF_EXIST to make room in a full queue or stack by dropping its oldest element.
    /// </summary>
    /// <exception cref="BpfException">E2BIG (full), EINVAL (a map type that has keys), ...</exception>
    public void Push(ReadOnlySpan<byte> value, ulong flags = MapFlags.BPF_ANY)
    {
        CheckValue(value.Length);
        fixed (byte* v = value)
            Check(BpfCommand.MapUpdateElem, Elem(BpfCommand.MapUpdateElem, null, v, flags));
    }

    /// <summary>Queue, stack: removes the next element into <paramref name="value"/> (BPF_MAP_LOOKUP_AND_DELETE_ELEM without a key); false if empty.</summary>
    /// <exception cref="BpfException">Any error but ENOENT.</exception>
    public bool TryPop(Span<byte> value)
    {
        CheckValue(value.Length);
        fixed (byte* v = value)
            return Found(BpfCommand.MapLookupAndDeleteElem, Elem(BpfCommand.MapLookupAndDeleteElem, null, v, 0));
    }

    /// <summary>
    /// Queue, stack: copies the next element into <paramref name="value"/> without removing it; false if
    /// empty. Bloom filter: <paramref name="value"/> is the input, and true means "maybe present"
    /// (BPF_MAP_LOOKUP_ELEM without a key).
    /// </summary>
    /// <exception cref="BpfException">Any error but ENOENT.</exception>
    public bool TryPeek(Span<byte> value)
    {
        CheckValue(value.Length);
        fixed (byte* v = value)
            return Found(BpfCommand.MapLookupElem, Elem(BpfCommand.MapLookupElem, null, v, 0));
    }

    /// <summary>Queue, stack, bloom filter: <see cref="Push(ReadOnlySpan{byte}, ulong)"/> of an unmanaged value of value_size bytes.</summary>
    /// <exception cref="ArgumentException">sizeof(<typeparamref name="T"/>) is not value_size.</exception>
    public void Push<T>(T value, ulong flags = MapFlags.BPF_ANY) where T : unmanaged
    {
        CheckElementType<T>();
        Check(BpfCommand.MapUpdateElem, Elem(BpfCommand.MapUpdateElem, null, &value, flags));
    }

    /// <summary>Queue, stack: <see cref="TryPop(Span{byte})"/> into an unmanaged value of value_size bytes.</summary>
    /// <exception cref="ArgumentException">sizeof(<typeparamref name="T"/>) is not value_size.</exception>
    public bool TryPop<T>(out T value) where T : unmanaged
    {
        CheckElementType<T>();
        T v = default;
        bool found = Found(BpfCommand.MapLookupAndDeleteElem, Elem(BpfCommand.MapLookupAndDeleteElem, null, &v, 0));
        value = v;
        return found;
    }

    /// <summary>Queue, stack: <see cref="TryPeek(Span{byte})"/> into an unmanaged value of value_size bytes.</summary>
    /// <exception cref="ArgumentException">sizeof(<typeparamref name="T"/>) is not value_size.</exception>
    public bool TryPeek<T>(out T value) where T : unmanaged
    {
        CheckElementType<T>();
        T v = default;
        bool found = Found(BpfCommand.MapLookupElem, Elem(BpfCommand.MapLookupElem, null, &v, 0));
        value = v;
        return found;
    }

    /// <summary>Bloom filter: true if <paramref name="value"/> may have been pushed, false if it certainly was not.</summary>
    /// <exception cref="ArgumentException">sizeof(<typeparamref name="T"/>) is not value_size.</exception>
    public bool MayContain<T>(T value) where T : unmanaged
    {
        CheckElementType<T>();
        return Found(BpfCommand.MapLookupElem, Elem(BpfCommand.MapLookupElem, null, &value, 0));
    }

    /// <summary>
    /// One element command on caller memory: <c>map_fd</c>, <c>key</c>, <c>value</c> (or <c>next_key</c>),
    /// <c>flags</c>. Returns what the facade returns: 0 or -errno.
    /// </summary>
    private protected int Elem(BpfCommand cmd, void* key, void* value, ulong flags)
    {
        MapElemAttr a = default;
        a.MapFd = (uint)Fd;
        a.Key = (ulong)key;
        a.Value = (ulong)value;
        a.Flags = flags;
        return System.Bpf(cmd, AttrBytes(&a, sizeof(MapElemAttr)));
    }

    /// <summary>0 is true, -ENOENT false; any other error throws.</summary>
    private protected static bool Found(BpfCommand cmd, int result)
    {
        if (result == 0) return true;
        if (result == -Errno.ENOENT) return false;
        Throw(cmd, result);
        return false;
    }

    private void CheckKey(ReadOnlySpan<byte> key)
    {
        if ((uint)key.Length < KeySize) throw SpanTooShort(nameof(key), KeySize);
    }

    private void CheckValue(int length)
    {
        if ((uint)length < UserValueSize) throw SpanTooShort("value", UserValueSize);
    }

    private void CheckElementType<T>() where T : unmanaged
    {
        if ((uint)sizeof(T) != ValueSize)
            throw new ArgumentException($"sizeof({typeof(T).Name}) is {sizeof(T)}, the map's value_size is {ValueSize}", nameof(T));
    }

    private static ArgumentException SpanTooShort(string name, uint needed) =>
        new($"the span must hold at least {needed} bytes", name);
}
