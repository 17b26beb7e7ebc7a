using BpfSharp.Maps;
using BpfSharp.Runtime;
using BpfSharp.Runtime.Helpers;
using BpfSharp.Uapi;
using static BpfSharp.Maps.StackTraceMap;

namespace BpfSharp.Tests.Maps;

/// <summary>
/// BPF_MAP_TYPE_STACK_TRACE and the stack helpers, by the kernel's definition (stackmap.c): a stack's id is its
/// jhash2 (initval 0, over the frames as u32 words) masked to the bucket count; the same stack finds its id again, a
/// different one in an occupied bucket is -EEXIST unless BPF_F_REUSE_STACKID, the free list holds max_entries stacks.
/// </summary>
public unsafe class StackTraceMapTests
{
    private static ulong Neg(int errno) => unchecked((ulong)-(long)errno);

    private static StackTraceMap New(MapTestHost host, uint maxEntries, uint depth = 4)
    {
        Assert.Equal(0, host.Create(new MapAttributes { Type = BpfMapType.StackTrace, KeySize = 4, ValueSize = depth * 8, MaxEntries = maxEntries }, out Map? map));
        return (StackTraceMap)map!;
    }

    private static uint IdOf(ulong[] frames, int buckets)
    {
        fixed (ulong* p = frames)
            return Jhash.Hash2((uint*)p, (uint)frames.Length * 2, 0) & (uint)(buckets - 1);
    }

    // Two different stacks whose ids are the same bucket of a map with `buckets` buckets.
    private static (ulong[] A, ulong[] B) Colliding(int buckets)
    {
        ulong[] a = [0xffffffff81000000, 0xffffffff81000100];
        for (ulong k = 1; ; k++)
        {
            ulong[] b = [0xffffffff82000000 + k, 0xffffffff81000100];
            if (IdOf(b, buckets) == IdOf(a, buckets)) return (a, b);
        }
    }

    [Fact]
    public void The_id_is_the_masked_jhash2_and_the_same_stack_finds_it_again()
    {
        using var host = new MapTestHost();
        StackTraceMap map = New(host, 100);
        Assert.Equal(128, map.BucketCount);
        ulong[] stack = [0xffffffff81234567, 0xffffffff81000010, 0xffffffff8100ffff];
        long id = map.StoreStack(stack, 0);
        Assert.Equal(IdOf(stack, 128), (uint)id);
        Assert.Equal(id, map.StoreStack(stack, 0));

        byte[] value = new byte[32];
        Array.Fill(value, (byte)0xcc);
        uint key = (uint)id;
        fixed (byte* v = value)
            Assert.Equal(0, map.SysLookup((byte*)&key, v, 0));
        Assert.Equal(stack, Enumerable.Range(0, 3).Select(i => BitConverter.ToUInt64(value, i * 8)));
        Assert.Equal(0ul, BitConverter.ToUInt64(value, 24)); // zero-filled past the frames

        fixed (byte* v = value)
        {
            Assert.Equal(0, map.SysLookupAndDelete((byte*)&key, v, 0));
            Assert.Equal(-Errno.ENOENT, map.SysLookup((byte*)&key, v, 0));
        }
        Assert.Equal(stack[0], BitConverter.ToUInt64(value, 0));
    }

    [Fact]
    public void Skip_drops_the_innermost_frames_and_a_stack_no_longer_than_skip_is_EFAULT()
    {
        using var host = new MapTestHost();
        StackTraceMap map = New(host, 8);
        ulong[] stack = [1, 2, 3];
        Assert.Equal(IdOf([2, 3], 8), (uint)map.StoreStack(stack, 1));
        Assert.Equal(-Errno.EFAULT, map.StoreStack(stack, 3));
        Assert.Equal(-Errno.EFAULT, map.StoreStack([], 0));
    }

    [Fact]
    public void Another_stack_in_an_occupied_bucket_is_EEXIST_unless_reused_and_FAST_CMP_trusts_the_hash_bucket()
    {
        using var host = new MapTestHost();
        StackTraceMap map = New(host, 2);
        (ulong[] a, ulong[] b) = Colliding(2);
        long id = map.StoreStack(a, 0);
        Assert.Equal(-Errno.EEXIST, map.StoreStack(b, 0));
        Assert.Equal(id, map.StoreStack(b, BPF_F_REUSE_STACKID));
        Assert.Equal(id, map.StoreStack(b, 0)); // b holds the bucket now
        Assert.Equal(-Errno.EEXIST, map.StoreStack(a, 0));
    }

    [Fact]
    public void The_free_list_holds_max_entries_stacks()
    {
        using var host = new MapTestHost();
        StackTraceMap map = New(host, 3); // 4 buckets, 3 elements
        var stored = new HashSet<long>();
        long result = 0;
        for (ulong k = 1; stored.Count < 4 && k < 1000; k++)
        {
            result = map.StoreStack([k], 0);
            if (result >= 0) stored.Add(result);
            else if (result == -Errno.ENOMEM) break;
        }
        Assert.Equal(3, stored.Count);
        Assert.Equal(-Errno.ENOMEM, result);
        uint first = (uint)stored.First();
        Assert.Equal(0, map.DeleteElem((byte*)&first));
        Assert.Equal(-Errno.ENOENT, map.DeleteElem((byte*)&first));
        uint past = 4;
        Assert.Equal(-Errno.E2BIG, map.DeleteElem((byte*)&past));
    }

    [Fact]
    public void Get_next_key_walks_the_occupied_buckets_in_order()
    {
        using var host = new MapTestHost();
        StackTraceMap map = New(host, 64);
        var ids = new SortedSet<uint>();
        for (ulong k = 1; k <= 10; k++)
        {
            long id = map.StoreStack([k * 0x1000, k], 0);
            if (id >= 0) ids.Add((uint)id);
        }
        var walked = new List<uint>();
        uint next;
        int rc = map.GetNextKey(null, (byte*)&next);
        while (rc == 0)
        {
            walked.Add(next);
            uint key = next;
            rc = map.GetNextKey((byte*)&key, (byte*)&next);
        }
        Assert.Equal(-Errno.ENOENT, rc);
        Assert.Equal(ids, walked);
        uint empty = Enumerable.Range(0, 64).Select(i => (uint)i).First(i => !ids.Contains(i));
        Assert.Equal(0, map.GetNextKey((byte*)&empty, (byte*)&next)); // an empty bucket restarts the walk
        Assert.Equal(ids.Min, next);
    }

    [Fact]
    public void Users_cannot_update_and_programs_cannot_look_up()
    {
        using var host = new MapTestHost();
        StackTraceMap map = New(host, 4);
        uint key = 0;
        ulong value = 0;
        Assert.Equal(-Errno.EINVAL, map.SysUpdate((byte*)&key, (byte*)&value, 0));
        Assert.True(map.LookupElem((byte*)&key, 0) == null);
        Assert.Equal(-Errno.ENOENT, map.SysLookup((byte*)&key, (byte*)&value, 0));
    }

    [Fact]
    public void Get_stackid_takes_the_kernel_or_user_stack_of_the_run()
    {
        using var host = new MapTestHost();
        StackTraceMap map = New(host, 16);
        var registry = new MapRegistry();
        registry.Add(map);
        var run = new RunContext { Maps = registry, KernelStack = new ulong[] { 10, 20, 30 }, UserStack = new ulong[] { 7, 8 } };
        Assert.Equal(IdOf([10, 20, 30], 16), (uint)StackHelpers.GetStackid(run, 0, (ulong)map.Handle, 0, 0, 0));
        Assert.Equal(IdOf([7, 8], 16), (uint)StackHelpers.GetStackid(run, 0, (ulong)map.Handle, BPF_F_USER_STACK, 0, 0));
        Assert.Equal(IdOf([20, 30], 16), (uint)StackHelpers.GetStackid(run, 0, (ulong)map.Handle, 1, 0, 0));
        Assert.Equal(Neg(Errno.EINVAL), StackHelpers.GetStackid(run, 0, (ulong)map.Handle, 1ul << 11, 0, 0));
        run.KernelStack = default;
        Assert.Equal(Neg(Errno.EFAULT), StackHelpers.GetStackid(run, 0, (ulong)map.Handle, 0, 0, 0));
    }

    [Fact]
    public void Get_stack_copies_what_fits_zeroes_the_rest_and_zeroes_everything_on_error()
    {
        var run = new RunContext { KernelStack = new ulong[] { 10, 20, 30, 40 } };
        ulong* buf = stackalloc ulong[3];
        for (int i = 0; i < 3; i++) buf[i] = 0xcc;
        Assert.Equal(24ul, StackHelpers.GetStack(run, 0, (ulong)buf, 24, 0, 0));
        Assert.Equal([10ul, 20, 30], new ReadOnlySpan<ulong>(buf, 3).ToArray());
        Assert.Equal(16ul, StackHelpers.GetStack(run, 0, (ulong)buf, 24, 2, 0)); // skip 2: 30, 40, then zero
        Assert.Equal([30ul, 40, 0], new ReadOnlySpan<ulong>(buf, 3).ToArray());
        Assert.Equal(0ul, StackHelpers.GetStack(run, 0, (ulong)buf, 24, 4, 0)); // skipping all of it copies nothing
        Assert.Equal(Neg(Errno.EFAULT), StackHelpers.GetStack(run, 0, (ulong)buf, 24, 5, 0));
        buf[0] = 1;
        Assert.Equal(Neg(Errno.EINVAL), StackHelpers.GetStack(run, 0, (ulong)buf, 20, 0, 0)); // not a multiple of 8
        Assert.Equal(0ul, buf[0]);
        Assert.Equal(Neg(Errno.EINVAL), StackHelpers.GetStack(run, 0, (ulong)buf, 24, 1ul << 11, 0)); // build ids
    }
}
