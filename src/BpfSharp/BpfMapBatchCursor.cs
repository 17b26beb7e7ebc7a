namespace BpfSharp;

/// <summary>
/// Where a batch lookup walk of a <see cref="BpfMap{TKey, TValue}"/> stands: the opaque position the
/// map returned in out_batch, passed back as in_batch. Start with <c>default</c>; the walk is over
/// when <see cref="IsDone"/> is true.
/// </summary>
/// <typeparam name="TKey">The map's key type.</typeparam>
public struct BpfMapBatchCursor<TKey> where TKey : unmanaged
{
    // The position: key_size bytes (arrays, and every map here), or a 4-byte bucket index (the kernel's
    // hash maps); Spare gives room for a position longer than a small key.
    internal TKey Position;
    internal ulong Spare;
    internal bool Started;

    /// <summary>True once the map said there is nothing after the position (ENOENT).</summary>
    public bool IsDone { readonly get; internal set; }

    /// <summary>Starts the walk again from the beginning.</summary>
    public void Reset() => this = default;
}
