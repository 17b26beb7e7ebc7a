using System.Runtime.InteropServices;
using BpfSharp.Maps;
using BpfSharp.Uapi;
using static BpfSharp.Uapi.MapFlags;

namespace BpfSharp.Tests.Maps;

/// <summary>BPF_MAP_TYPE_ARRAY: the kernel's element rules (arraymap.c, bpf(2), Documentation/bpf/map_array.rst).</summary>
public unsafe class ArrayMapTests
{
    [Fact]
    public void Elements_exist_from_the_start_and_are_zero()
    {
        using var host = new MapTestHost();
        Map map = host.CreateOk(BpfMapType.Array, 4, 12, 3);
        var value = Bytes.Filled(12, 0xee);

        Assert.Equal(0, map.Lookup(Bytes.U32(2), value));
        Assert.Equal(new byte[12], value);
    }

    // bpf(2): "array elements cannot be deleted"; BPF_NOEXIST on an existing element is EEXIST; a key
    // past max_entries has no element (ENOENT) and cannot be added (E2BIG).
    public static TheoryData<string, uint, ulong, int> UpdateCases() => new()
    {
        { "BPF_ANY", 1, BPF_ANY, 0 },
        { "BPF_EXIST", 1, BPF_EXIST, 0 },
        { "BPF_NOEXIST on an element that always exists", 1, BPF_NOEXIST, -Errno.EEXIST },
        { "NOEXIST|EXIST is an unknown flag combination", 1, BPF_NOEXIST | BPF_EXIST, -Errno.EINVAL },
        { "an unknown flag", 1, 8, -Errno.EINVAL },
        { "BPF_F_LOCK without a spin lock in the value", 1, BPF_F_LOCK, -Errno.EINVAL },
        { "index == max_entries", 3, BPF_ANY, -Errno.E2BIG },
        { "index == max_entries with BPF_NOEXIST: E2BIG comes first", 3, BPF_NOEXIST, -Errno.E2BIG },
        { "unknown flags before the index", 3, 8, -Errno.EINVAL },
    };

    [Theory]
    [MemberData(nameof(UpdateCases))]
    public void Update_follows_the_kernel(string name, uint index, ulong flags, int expected)
    {
        _ = name;
        using var host = new MapTestHost();
        Map map = host.CreateOk(BpfMapType.Array, 4, 4, 3);

        Assert.Equal(Errno.Name(expected), Errno.Name(map.Update(Bytes.U32(index), Bytes.U32(7), flags)));
        Assert.Equal(Errno.Name(expected), Errno.Name(map.ProgUpdate(Bytes.U32(index), Bytes.U32(7), flags)));
    }

    [Fact]
    public void Lookup_past_max_entries_is_ENOENT_and_delete_is_always_EINVAL()
    {
        using var host = new MapTestHost();
        Map map = host.CreateOk(BpfMapType.Array, 4, 4, 3);

        Assert.Equal(-Errno.ENOENT, map.Lookup(Bytes.U32(3), new byte[4]));
        Assert.Equal(0, map.ProgLookup(Bytes.U32(3)));
        Assert.Equal(-Errno.EINVAL, map.Delete(Bytes.U32(1)));
        Assert.Equal(-Errno.EINVAL, map.Delete(Bytes.U32(5)));
        Assert.Equal(-Errno.ENOTSUPP, map.LookupAndDelete(Bytes.U32(1), new byte[4]));
    }

    [Fact]
    public void Update_then_lookup_returns_the_value_and_programs_see_it_in_place()
    {
        using var host = new MapTestHost();
        var map = (ArrayMap)host.CreateOk(BpfMapType.Array, 4, 8, 4);

        Assert.Equal(0, map.Update(Bytes.U32(2), Bytes.U64(0x1122_3344_5566_7788)));
        nint address = map.ProgLookup(Bytes.U32(2));

        Assert.Equal(map.ValueAddress(2), address);
        Assert.Equal(0x1122_3344_5566_7788ul, *(ulong*)address);
        *(ulong*)address = 42; // a program's store
        var value = new byte[8];
        Assert.Equal(0, map.Lookup(Bytes.U32(2), value));
        Assert.Equal(42ul, Bytes.ReadU64(value));
    }

    [Fact]
    public void Values_are_round_up_8_apart_and_only_value_size_bytes_are_written()
    {
        using var host = new MapTestHost();
        var map = (ArrayMap)host.CreateOk(BpfMapType.Array, 4, 5, 3);

        Assert.Equal(8u, map.ElemSize);
        Assert.Equal(8, map.ValueAddress(1) - map.ValueAddress(0));
        *(byte*)(map.ValueAddress(0) + 5) = 0xaa; // padding a program may not reach
        Assert.Equal(0, map.Update(Bytes.U32(0), Bytes.Filled(5, 1)));
        Assert.Equal(0xaa, *(byte*)(map.ValueAddress(0) + 5));
    }

    // kernel: array_map_get_next_key; bpf(2): a missing key gives the first key, the last key ENOENT.
    public static TheoryData<string, uint?, int, uint> NextKeyCases() => new()
    {
        { "null key: the first index", null, 0, 0 },
        { "index 0: index 1", 0, 0, 1 },
        { "index 1: index 2", 1, 0, 2 },
        { "the last index: ENOENT", 2, -Errno.ENOENT, 0xdead },
        { "an index past max_entries: the first index", 3, 0, 0 },
        { "u32 max: the first index", uint.MaxValue, 0, 0 },
    };

    [Theory]
    [MemberData(nameof(NextKeyCases))]
    public void Get_next_key_walks_the_indexes(string name, uint? key, int expected, uint next)
    {
        _ = name;
        using var host = new MapTestHost();
        Map map = host.CreateOk(BpfMapType.Array, 4, 4, 3);
        var nextKey = Bytes.U32(0xdead);

        Assert.Equal(expected, map.NextKey(key is null ? null : Bytes.U32(key.Value), nextKey));
        Assert.Equal(next, Bytes.ReadU32(nextKey));
    }

    [Fact]
    public void Mmapable_values_are_page_aligned_whole_pages_shared_with_programs()
    {
        using var host = new MapTestHost();
        var map = (ArrayMap)host.CreateOk(BpfMapType.Array, 4, 12, 3, BPF_F_MMAPABLE);
        Span<byte> span = map.MmapSpan;

        Assert.Equal(0, map.MmapAddress % Environment.SystemPageSize);
        Assert.Equal((ulong)Environment.SystemPageSize, map.MmapLength);
        Assert.Equal(Environment.SystemPageSize, span.Length);
        span[16] = 0x5a; // element 1 starts at round_up(12, 8) = 16
        Assert.Equal(0x5a, *(byte*)map.ProgLookup(Bytes.U32(1)));
        Assert.Equal(0, map.Update(Bytes.U32(2), Bytes.Filled(12, 3)));
        Assert.Equal(3, span[32]);
    }

    [Fact]
    public void A_map_without_BPF_F_MMAPABLE_cannot_be_mapped()
    {
        using var host = new MapTestHost();
        var map = (ArrayMap)host.CreateOk(BpfMapType.Array, 4, 4, 3);

        Assert.Throws<InvalidOperationException>(() => map.MmapSpan.Length);
        Assert.Equal(0, map.MmapAddress);
        Assert.Equal(-Errno.EINVAL, map.AcquireWritableMapping());
    }

    // kernel: map_freeze refuses while a writable mapping exists (bpf_map_write_active: EBUSY);
    // bpf_map_mmap refuses a writable mapping of a frozen map (EPERM).
    [Fact]
    public void Freeze_waits_for_writable_mappings_and_frozen_maps_cannot_be_mapped_writable()
    {
        using var host = new MapTestHost();
        var map = (ArrayMap)host.CreateOk(BpfMapType.Array, 4, 4, 1, BPF_F_MMAPABLE);

        Assert.Equal(0, map.AcquireWritableMapping());
        Assert.Equal(-Errno.EBUSY, map.Freeze());
        map.ReleaseWritableMapping();
        Assert.Equal(0, map.Freeze());
        Assert.True(map.IsFrozen);
        Assert.Equal(-Errno.EPERM, map.AcquireWritableMapping());
        Assert.Equal(-Errno.EPERM, map.Freeze()); // as MAP_FREEZE answers a second time (no write permission left)
    }

    // kernel: array_map_direct_value_addr: single-element arrays only (global data sections).
    [Fact]
    public void Direct_value_access_needs_a_single_element_and_an_offset_inside_the_value()
    {
        using var host = new MapTestHost();
        var single = (ArrayMap)host.CreateOk(BpfMapType.Array, 4, 16, 1);
        var two = (ArrayMap)host.CreateOk(BpfMapType.Array, 4, 16, 2);

        Assert.Equal(0, single.DirectValueAddress(15, out nint address));
        Assert.Equal(single.ValueAddress(0), address);
        Assert.Equal(-Errno.EINVAL, single.DirectValueAddress(16, out _));
        Assert.Equal(-Errno.ENOTSUPP, two.DirectValueAddress(0, out _));

        Assert.Equal(0, single.DirectValueMeta((ulong)address + 9, out uint offset));
        Assert.Equal(9u, offset);
        Assert.Equal(-Errno.ENOENT, single.DirectValueMeta((ulong)address + 16, out _));
        Assert.Equal(-Errno.ENOTSUPP, two.DirectValueMeta((ulong)address, out _));
    }

    [Fact]
    public void Spin_lock_values_accept_BPF_F_LOCK_and_never_copy_the_lock_word()
    {
        using var host = new MapTestHost();
        host.Create(new MapAttributes { Type = BpfMapType.Array, KeySize = 4, ValueSize = 16, MaxEntries = 1, SpinLockOffset = 0 }, out Map? m);
        var map = (ArrayMap)m!;
        var value = Bytes.Filled(16, 0x77);

        Assert.Equal(0, map.Update(Bytes.U32(0), value, BPF_F_LOCK));
        Assert.Equal(0u, *(uint*)map.ValueAddress(0)); // the lock word stays unlocked
        Assert.Equal(0x77, *(byte*)(map.ValueAddress(0) + 4));
    }

    [Fact]
    public void Concurrent_program_increments_and_user_updates_lose_nothing()
    {
        const int threads = 4, perThread = 20_000;
        using var host = new MapTestHost();
        var map = (ArrayMap)host.CreateOk(BpfMapType.Array, 4, 8, 2);
        var counter = (long*)map.ProgLookup(Bytes.U32(0));
        bool stop = false;
        int userErrors = 0;

        var writer = new Thread(() =>
        {
            // User space keeps rewriting element 1 and reading element 0 meanwhile.
            for (ulong i = 0; !Volatile.Read(ref stop); i++)
            {
                if (map.Update(Bytes.U32(1), Bytes.U64(i)) != 0) userErrors++;
                if (map.Lookup(Bytes.U32(0), new byte[8]) != 0) userErrors++;
            }
        });
        writer.Start();
        Parallel.For(0, threads, _ =>
        {
            for (int i = 0; i < perThread; i++) Interlocked.Increment(ref *counter);
        });
        Volatile.Write(ref stop, true);
        writer.Join();

        Assert.Equal(0, userErrors);
        var value = new byte[8];
        Assert.Equal(0, map.Lookup(Bytes.U32(0), value));
        Assert.Equal((ulong)(threads * perThread), Bytes.ReadU64(value));
    }
}
