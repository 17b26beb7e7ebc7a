using BpfSharp.Maps;
using BpfSharp.Uapi;
using static BpfSharp.Tests.Maps.HashTestKit;
using static BpfSharp.Uapi.MapFlags;

namespace BpfSharp.Tests.Maps;

/// <summary>
/// Element operations of BPF_MAP_TYPE_HASH: the update flags and their errno (check_flags,
/// htab_map_update_elem), delete, lookup-and-delete and the element lifetime rules.
/// </summary>
public unsafe class HashMapTests
{
    public static TheoryData<string, uint> HashTypes => new()
    {
        { "hash", 0 },
        { "hash, no prealloc", BPF_F_NO_PREALLOC },
    };

    /// <summary>(existing key?, flags) -> errno; the man page's BPF_NOEXIST/BPF_EXIST rules and unknown flags.</summary>
    public static TheoryData<string, bool, ulong, int> UpdateFlagCases => new()
    {
        { "BPF_ANY creates", false, BPF_ANY, 0 },
        { "BPF_ANY replaces", true, BPF_ANY, 0 },
        { "BPF_NOEXIST creates", false, BPF_NOEXIST, 0 },
        { "BPF_NOEXIST on an existing key", true, BPF_NOEXIST, -Errno.EEXIST },
        { "BPF_EXIST replaces", true, BPF_EXIST, 0 },
        { "BPF_EXIST on a missing key", false, BPF_EXIST, -Errno.ENOENT },
        { "flags 3", false, 3, -Errno.EINVAL },
        { "flags 8", true, 8, -Errno.EINVAL },
        { "BPF_F_LOCK without a spin lock", true, BPF_F_LOCK, -Errno.EINVAL },
        { "BPF_F_LOCK | BPF_EXIST without a spin lock", true, BPF_F_LOCK | BPF_EXIST, -Errno.EINVAL },
    };

    [Theory]
    [MemberData(nameof(UpdateFlagCases))]
    public void UpdateFlags(string name, bool existing, ulong flags, int errno)
    {
        foreach (BpfMapType type in new[] { BpfMapType.Hash, BpfMapType.PercpuHash, BpfMapType.LruHash, BpfMapType.LruPercpuHash })
        {
            Map map = Create(type, 4, 8, 4);
            var value = new byte[map.UserValueSize];
            value[0] = 7;
            if (existing) Assert.Equal(0, Update(map, Key(1), value));
            value[0] = 9;
            // LRU and per-CPU maps reject BPF_F_LOCK like any unknown flag (flags > BPF_EXIST).
            Assert.True(errno == Update(map, Key(1), value, flags), $"{name} on {type}");
            var read = new byte[map.UserValueSize];
            int lookup = Lookup(map, Key(1), read);
            if (errno == 0) Assert.Equal(9, read[0]);
            else if (existing) Assert.Equal(7, read[0]);
            else Assert.Equal(-Errno.ENOENT, lookup);
            map.Release();
        }
    }

    [Theory]
    [MemberData(nameof(HashTypes))]
    public void FullMapIsE2bigButReplacingStillWorks(string name, uint flags)
    {
        Map map = Create(BpfMapType.Hash, 4, 8, 3, flags);
        for (int k = 0; k < 3; k++) Assert.Equal(0, Update(map, k, k));
        Assert.True(-Errno.E2BIG == Update(map, 3, 3), name);
        Assert.Equal(0, Update(map, 1, 100));
        Assert.Equal(0, Update(map, 2, 200, BPF_EXIST));
        Assert.Equal(-Errno.EEXIST, Update(map, 0, 1, BPF_NOEXIST));
        Assert.Equal(0, Delete(map, 0));
        Assert.Equal(0, Update(map, 3, 3, BPF_NOEXIST));
        Assert.Equal(new[] { 1, 2, 3 }, IntKeys(map));
        Assert.Equal(100, Lookup(map, 1));
        map.Release();
    }

    [Fact]
    public void DeleteAndLookupOfAMissingKeyAreEnoent()
    {
        Map map = Create(BpfMapType.Hash, 4, 8, 4);
        Assert.Equal(-Errno.ENOENT, Delete(map, 1));
        Assert.Null(Lookup(map, 1));
        Assert.Equal(0, Update(map, 1, 5));
        Assert.Equal(0, Delete(map, 1));
        Assert.Equal(-Errno.ENOENT, Delete(map, 1));
        map.Release();
    }

    [Theory]
    [InlineData(BpfMapType.Hash)]
    [InlineData(BpfMapType.LruHash)]
    public void LookupAndDeleteReturnsTheValueThenDeletes(BpfMapType type)
    {
        Map map = Create(type, 4, 8, 4);
        Assert.Equal(0, Update(map, 1, 42));
        var value = new byte[8];
        Assert.Equal(0, LookupAndDelete(map, Key(1), value));
        Assert.Equal(42, BitConverter.ToInt64(value));
        Assert.Null(Lookup(map, 1));
        Assert.Equal(-Errno.ENOENT, LookupAndDelete(map, Key(1), value));
        map.Release();
    }

    [Theory]
    [InlineData(8ul, -Errno.EINVAL)]
    [InlineData(BPF_F_LOCK, -Errno.EINVAL)]
    [InlineData(1ul, -Errno.EINVAL)]
    public void LookupFlagsOtherThanALockAreEinval(ulong flags, int errno)
    {
        Map map = Create(BpfMapType.Hash, 4, 8, 4);
        Assert.Equal(0, Update(map, 1, 42));
        var value = new byte[8];
        Assert.Equal(errno, Lookup(map, Key(1), value, flags));
        Assert.Equal(errno, LookupAndDelete(map, Key(1), value, flags));
        map.Release();
    }

    [Fact]
    public void UpdateReplacesTheElementAndTheOldValueStaysReadableUntilTheRunEnds()
    {
        var context = Context();
        var map = (HashTable)Create(BpfMapType.Hash, 4, 8, 4, context: context);
        map.Pool.PoisonRecycled = true;
        Assert.Equal(0, Update(map, 1, 10));
        byte* old;
        using (context.Epochs.Enter())
        {
            old = ProgramLookup(map, 1);
            Assert.Equal(0, Update(map, 1, 20));
            Assert.Equal(0, Delete(map, 1));
            Assert.Equal(0, map.Pool.Reclaim()); // this run may still use the old elements
            Assert.Equal(10, *(long*)old);
            Assert.True(ProgramLookup(map, 1) == null);
        }
        Assert.Equal(2, map.Pool.Reclaim()); // both retired elements, now that the run has ended
        Assert.Equal(0xDEADBEEFu, *(uint*)old); // preallocated memory: poisoned, back on the freelist
        map.Release();
    }

    [Fact]
    public void SpinLockUpdatesInPlaceAndLockedCopiesSkipTheLockWord()
    {
        Map map = Create(BpfMapType.Hash, 4, 16, 4, spinLockOffset: 0);
        var value = new byte[16];
        BitConverter.TryWriteBytes(value.AsSpan(8), 5L);
        Assert.Equal(-Errno.ENOENT, Update(map, Key(1), value, BPF_F_LOCK | BPF_EXIST));
        Assert.Equal(0, Update(map, Key(1), value, BPF_F_LOCK));
        byte* before = ProgramLookup(map, 1);
        BitConverter.TryWriteBytes(value.AsSpan(8), 6L);
        value[0] = 0xff; // the lock word of the source is never copied
        Assert.Equal(0, Update(map, Key(1), value, BPF_F_LOCK));
        Assert.True(before == ProgramLookup(map, 1), "BPF_F_LOCK updates in place");
        Assert.Equal(6, *(long*)(before + 8));
        Assert.Equal(0u, *(uint*)before);
        Assert.Equal(-Errno.EEXIST, Update(map, Key(1), value, BPF_F_LOCK | BPF_NOEXIST));
        var read = new byte[16];
        Assert.Equal(0, Lookup(map, Key(1), read, BPF_F_LOCK));
        Assert.Equal(6, BitConverter.ToInt64(read, 8));
        Assert.Equal(0, Update(map, Key(1), value));
        Assert.False(before == ProgramLookup(map, 1), "without BPF_F_LOCK an update replaces the element");
        map.Release();
    }

    [Fact]
    public void ProgramUpdateAndDeleteActOnTheSameTable()
    {
        Map map = Create(BpfMapType.Hash, 4, 8, 2);
        Assert.Equal(0, ProgramUpdate(map, Key(3), Value(30), BPF_NOEXIST));
        Assert.Equal(30, Lookup(map, 3));
        Assert.Equal(-Errno.EEXIST, ProgramUpdate(map, Key(3), Value(31), BPF_NOEXIST));
        byte[] k = Key(3);
        fixed (byte* p = k) Assert.Equal(0, map.DeleteElem(p));
        Assert.Null(Lookup(map, 3));
        map.Release();
    }

    [Fact]
    public void OddKeySizesHashAndCompareEveryByte()
    {
        Map map = Create(BpfMapType.Hash, 13, 8, 64, BPF_F_NO_PREALLOC);
        var keys = new List<byte[]>();
        for (int i = 0; i < 40; i++)
        {
            var key = new byte[13];
            key[12] = (byte)i; // keys differ only in their last byte
            key[0] = 1;
            keys.Add(key);
            Assert.Equal(0, Update(map, key, Value(i)));
        }
        for (int i = 0; i < 40; i++)
        {
            var value = new byte[8];
            Assert.Equal(0, Lookup(map, keys[i], value));
            Assert.Equal(i, BitConverter.ToInt64(value));
        }
        Assert.Equal(40, Keys(map).Count);
        map.Release();
    }

    [Fact]
    public void FreeingTheMapReturnsEveryCharge()
    {
        var context = Context();
        Map map = Create(BpfMapType.Hash, 4, 8, 16, BPF_F_NO_PREALLOC, context);
        for (int i = 0; i < 16; i++) Assert.Equal(0, Update(map, i, i));
        for (int i = 0; i < 8; i++) Assert.Equal(0, Delete(map, i));
        Assert.True(context.Charged > 0);
        map.Release();
        Assert.Equal(0, context.Charged);
    }
}
