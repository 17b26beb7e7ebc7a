using System.Runtime.CompilerServices;
using BpfSharp.Syscall;
using BpfSharp.Uapi;

namespace BpfSharp;

// BPF_MAP_LOOKUP_BATCH, LOOKUP_AND_DELETE_BATCH, UPDATE_BATCH, DELETE_BATCH over spans.
public sealed unsafe partial class BpfMap<TKey, TValue>
{
    /// <summary>
    /// Copies up to <c>keys.Length</c> elements after <paramref name="cursor"/> into <paramref name="keys"/>
    /// and <paramref name="values"/> (BPF_MAP_LOOKUP_BATCH) and moves the cursor past them; returns how
    /// many. The walk is over when <see cref="BpfMapBatchCursor{TKey}.IsDone"/> is set (elements may
    /// still have been returned by that call). Per-CPU maps fill <see cref="BpfMap.PossibleCpus"/> values per key.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="values"/> is too short for <paramref name="keys"/>.</exception>
    /// <exception cref="InvalidOperationException">A per-CPU map whose values are not a multiple of 8 bytes (use <see cref="TryGetValues"/>).</exception>
    /// <exception cref="BpfException">ENOTSUPP for map types without batches, ...</exception>
    public int LookupBatch(ref BpfMapBatchCursor<TKey> cursor, Span<TKey> keys, Span<TValue> values, ulong elemFlags = 0) =>
        RunLookupBatch(BpfCommand.MapLookupBatch, ref cursor, keys, values, elemFlags);

    /// <summary>
    /// As <see cref="LookupBatch"/>, deleting every element it returns (BPF_MAP_LOOKUP_AND_DELETE_BATCH).
    /// A walk whose position was deleted resumes at the first remaining element.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="values"/> is too short for <paramref name="keys"/>.</exception>
    /// <exception cref="BpfException">ENOTSUPP for map types without it (arrays), ...</exception>
    public int LookupAndDeleteBatch(ref BpfMapBatchCursor<TKey> cursor, Span<TKey> keys, Span<TValue> values, ulong elemFlags = 0) =>
        RunLookupBatch(BpfCommand.MapLookupAndDeleteBatch, ref cursor, keys, values, elemFlags);

    /// <summary>
    /// Sets the value of every key in <paramref name="keys"/> (BPF_MAP_UPDATE_BATCH: create or replace each;
    /// <paramref name="elemFlags"/> may only be BPF_F_LOCK, as in the kernel); returns the number updated, all of them.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="values"/> does not match <paramref name="keys"/>.</exception>
    /// <exception cref="BpfException">An element failed; the message says how many were updated before it.</exception>
    public int UpdateBatch(ReadOnlySpan<TKey> keys, ReadOnlySpan<TValue> values, ulong elemFlags = 0)
    {
        CheckBatchValues(keys.Length, values.Length, exact: true);
        fixed (TKey* k = keys)
        fixed (TValue* v = values)
            return ApplyBatch(BpfCommand.MapUpdateBatch, k, v, keys.Length, elemFlags);
    }

    /// <summary>Deletes every key in <paramref name="keys"/> (BPF_MAP_DELETE_BATCH); returns the number deleted, all of them.</summary>
    /// <exception cref="BpfException">A key failed (ENOENT if it was not in the map); the message says how many were deleted before it.</exception>
    public int DeleteBatch(ReadOnlySpan<TKey> keys)
    {
        fixed (TKey* k = keys)
            return ApplyBatch(BpfCommand.MapDeleteBatch, k, null, keys.Length, 0);
    }

    [SkipLocalsInit]
    private int RunLookupBatch(BpfCommand cmd, ref BpfMapBatchCursor<TKey> cursor, Span<TKey> keys, Span<TValue> values, ulong elemFlags)
    {
        CheckBatchValues(keys.Length, values.Length, exact: false);
        if (keys.IsEmpty || cursor.IsDone) return 0;
        // The position travels through a buffer with room to spare (see BpfMapBatchCursor).
        byte* position = stackalloc byte[sizeof(TKey) + sizeof(ulong)];
        Unsafe.WriteUnaligned(position, cursor.Position);
        Unsafe.WriteUnaligned(position + sizeof(TKey), cursor.Spare);
        fixed (TKey* k = keys)
        fixed (TValue* v = values)
        {
            MapBatchAttr a = default;
            a.InBatch = cursor.Started ? (ulong)position : 0;
            a.OutBatch = (ulong)position;
            a.Keys = (ulong)k;
            a.Values = (ulong)v;
            a.Count = (uint)keys.Length;
            a.MapFd = (uint)Fd;
            a.ElemFlags = elemFlags;
            int rc = System.Bpf(cmd, AttrBytes(&a, sizeof(MapBatchAttr)));
            // count is written once the walk started; an attr the command refused keeps the count asked for.
            uint done = rc == 0 || rc == -Errno.ENOENT || a.Count < (uint)keys.Length ? a.Count : 0;
            if (done > 0)
            {
                cursor.Position = Unsafe.ReadUnaligned<TKey>(position);
                cursor.Spare = Unsafe.ReadUnaligned<ulong>(position + sizeof(TKey));
                cursor.Started = true;
            }
            if (rc == -Errno.ENOENT)
                cursor.IsDone = true;
            else if (rc < 0)
                throw BpfException.For(cmd, rc, done > 0 ? $"after {done} elements" : null);
            return (int)done;
        }
    }

    private int ApplyBatch(BpfCommand cmd, void* keys, void* values, int count, ulong elemFlags)
    {
        if (count == 0) return 0;
        MapBatchAttr a = default;
        a.Keys = (ulong)keys;
        a.Values = (ulong)values;
        a.Count = (uint)count;
        a.MapFd = (uint)Fd;
        a.ElemFlags = elemFlags;
        int rc = System.Bpf(cmd, AttrBytes(&a, sizeof(MapBatchAttr)));
        // An element failed after count of them were done; an attr the command refused keeps the count asked for.
        if (rc < 0) throw BpfException.For(cmd, rc, a.Count < (uint)count ? $"{a.Count} of {count} elements done before the failing one" : null);
        return (int)a.Count;
    }

    // Values per key: one, or one per CPU laid out in round_up(value_size, 8) slots, which TValue must match.
    private void CheckBatchValues(int keys, int values, bool exact)
    {
        int perKey = 1;
        if (IsPerCpu)
        {
            if ((uint)sizeof(TValue) != PerCpuSlotSize)
                throw new InvalidOperationException($"batches of per-CPU values need a value type of {PerCpuSlotSize} bytes (value_size rounded up to 8)");
            perKey = PossibleCpus;
        }
        long needed = (long)keys * perKey;
        if (exact ? values != needed : values < needed)
            throw new ArgumentException($"{keys} keys need {(exact ? "" : "at least ")}{needed} values", nameof(values));
    }
}
