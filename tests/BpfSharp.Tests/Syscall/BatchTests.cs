using BpfSharp.Syscall;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Syscall;

/// <summary>
/// The batch commands with the kernel's generic semantics: in_batch / out_batch positions, count
/// in and out, -ENOENT at the end with count set, elem_flags, -ENOTSUPP where a map type has no
/// batch operation. Array cases run on the live kernel too.
/// </summary>
public unsafe class BatchTests
{
    private sealed class Batch
    {
        public uint[] Keys = new uint[16];
        public ulong[] Values = new ulong[16];
        public uint InBatch, OutBatch;
        public uint Count;
        public int Result;
    }

    private static Batch Run(IBpfTarget t, BpfCommand cmd, int fd, uint count, uint? inBatch = null, bool outBatch = true,
        bool keys = true, ulong elemFlags = 0, ulong flags = 0, Batch? b = null)
    {
        b ??= new Batch();
        b.InBatch = inBatch ?? 0;
        fixed (uint* k = b.Keys)
        fixed (ulong* v = b.Values)
        fixed (uint* ib = &b.InBatch)
        fixed (uint* ob = &b.OutBatch)
        {
            BpfAttr attr = default;
            attr.Batch.MapFd = (uint)fd;
            attr.Batch.Keys = keys ? (ulong)k : 0;
            attr.Batch.Values = (ulong)v;
            attr.Batch.Count = count;
            attr.Batch.InBatch = inBatch is null ? 0 : (ulong)ib;
            attr.Batch.OutBatch = outBatch ? (ulong)ob : 0;
            attr.Batch.ElemFlags = elemFlags;
            attr.Batch.Flags = flags;
            b.Result = t.Bpf(cmd, ref attr);
            b.Count = attr.Batch.Count;
        }
        return b;
    }

    private static int FilledArray(IBpfTarget t)
    {
        int fd = t.CreateArray(maxEntries: 4);
        for (uint i = 0; i < 4; i++) Assert.Equal(0, t.Update(fd, i, 100 + i));
        return fd;
    }

    [SkippableTheory]
    [InlineData("ours")]
    [InlineData("kernel")]
    public void Array_lookup_batch_walks_by_last_key(string target)
    {
        using IBpfTarget t = Targets.Create(target);
        int fd = FilledArray(t);
        Batch b = Run(t, BpfCommand.MapLookupBatch, fd, 3);
        Assert.Equal((0, 3u, 2u), (b.Result, b.Count, b.OutBatch));
        Assert.Equal([0u, 1, 2], b.Keys[..3]);
        Assert.Equal([100ul, 101, 102], b.Values[..3]);

        b = Run(t, BpfCommand.MapLookupBatch, fd, 3, inBatch: b.OutBatch);
        Assert.Equal((-Errno.ENOENT, 1u, 3u), (b.Result, b.Count, b.OutBatch)); // the end: ENOENT with count set
        Assert.Equal(3u, b.Keys[0]);

        b = Run(t, BpfCommand.MapLookupBatch, fd, 3, inBatch: 3);
        Assert.Equal((-Errno.ENOENT, 0u), (b.Result, b.Count));

        b = Run(t, BpfCommand.MapLookupBatch, fd, 3, inBatch: 17); // past the end: GET_NEXT_KEY starts over
        Assert.Equal((0, 3u, 2u), (b.Result, b.Count, b.OutBatch));
    }

    [SkippableTheory]
    [InlineData("ours")]
    [InlineData("kernel")]
    public void Lookup_batch_edge_cases(string target)
    {
        using IBpfTarget t = Targets.Create(target);
        int fd = FilledArray(t);
        Assert.Equal((0, 0u), Pair(Run(t, BpfCommand.MapLookupBatch, fd, 0))); // count 0: nothing to do
        Assert.Equal((-Errno.EFAULT, 2u), Pair(Run(t, BpfCommand.MapLookupBatch, fd, 2, outBatch: false))); // count written, then out_batch fails
        Assert.Equal((-Errno.EFAULT, 0u), Pair(Run(t, BpfCommand.MapLookupBatch, fd, 2, keys: false)));
        Assert.Equal((-Errno.EINVAL, 2u), Pair(Run(t, BpfCommand.MapLookupBatch, fd, 2, elemFlags: MapFlags.BPF_F_LOCK))); // count untouched
        Assert.Equal((0, 2u), Pair(Run(t, BpfCommand.MapLookupBatch, fd, 2, flags: 1))); // arrays ignore batch.flags
    }

    private static (int, uint) Pair(Batch b) => (b.Result, b.Count);

    [SkippableTheory]
    [InlineData("ours")]
    [InlineData("kernel")]
    public void Update_batch_stops_at_the_first_failure(string target)
    {
        using IBpfTarget t = Targets.Create(target);
        int fd = t.CreateArray(maxEntries: 4);
        var b = new Batch();
        b.Keys[0] = 0; b.Keys[1] = 9; b.Keys[2] = 2;
        b.Values[0] = 1; b.Values[1] = 2; b.Values[2] = 3;
        Assert.Equal((-Errno.E2BIG, 1u), Pair(Run(t, BpfCommand.MapUpdateBatch, fd, 3, b: b)));
        Assert.Equal(0, t.Lookup(fd, 0, out ulong v0));
        Assert.Equal(1ul, v0);
        Assert.Equal(0, t.Lookup(fd, 2, out ulong v2));
        Assert.Equal(0ul, v2); // never reached
        Assert.Equal((-Errno.EINVAL, 1u), Pair(Run(t, BpfCommand.MapUpdateBatch, fd, 1, elemFlags: MapFlags.BPF_NOEXIST, b: b))); // count untouched
        Assert.Equal((-Errno.EFAULT, 0u), Pair(Run(t, BpfCommand.MapUpdateBatch, fd, 1, keys: false)));
        Assert.Equal((0, 0u), Pair(Run(t, BpfCommand.MapUpdateBatch, fd, 0)));
    }

    [SkippableTheory]
    [InlineData("ours")]
    [InlineData("kernel")]
    public void Hash_batches_check_flags_and_count_deletes(string target)
    {
        using IBpfTarget t = Targets.Create(target);
        int fd = t.CreateHash(maxEntries: 4);
        for (uint k = 1; k <= 3; k++) Assert.Equal(0, t.Update(fd, k, k * 10));
        Assert.Equal(-Errno.EINVAL, Run(t, BpfCommand.MapLookupBatch, fd, 0, flags: 1).Result); // hash maps check batch.flags
        var b = new Batch();
        b.Keys[0] = 1; b.Keys[1] = 99; b.Keys[2] = 2;
        Assert.Equal((-Errno.ENOENT, 1u), Pair(Run(t, BpfCommand.MapDeleteBatch, fd, 3, b: b)));
        Assert.Equal(-Errno.ENOENT, t.Lookup(fd, 1, out _));
        Assert.Equal(0, t.Lookup(fd, 2, out _));
        b.Keys[0] = 50; b.Keys[1] = 51; b.Keys[2] = 52;
        Assert.Equal((-Errno.E2BIG, 2u), Pair(Run(t, BpfCommand.MapUpdateBatch, fd, 3, b: b))); // full after two
    }

    [SkippableTheory]
    [InlineData("ours")]
    [InlineData("kernel")]
    public void Batches_follow_the_fd_access_mode(string target)
    {
        using IBpfTarget t = Targets.Create(target);
        Assert.Equal(-Errno.EPERM, Run(t, BpfCommand.MapUpdateBatch, t.CreateArray(flags: MapFlags.BPF_F_RDONLY), 1).Result);
        Assert.Equal(-Errno.EPERM, Run(t, BpfCommand.MapLookupBatch, t.CreateArray(flags: MapFlags.BPF_F_WRONLY), 1).Result);
        Assert.Equal(-Errno.ENOTSUPP, Run(t, BpfCommand.MapLookupAndDeleteBatch, t.CreateArray(), 1).Result);
    }

    [Fact]
    public void Hash_lookup_batch_returns_every_element_once()
    {
        using var t = new OurTarget();
        int fd = t.CreateHash(maxEntries: 16);
        for (uint k = 1; k <= 7; k++) t.Update(fd, k, k * 10);
        var seen = new List<(uint, ulong)>();
        uint? cursor = null;
        while (true)
        {
            Batch b = Run(t, BpfCommand.MapLookupBatch, fd, 2, inBatch: cursor);
            for (int i = 0; i < b.Count; i++) seen.Add((b.Keys[i], b.Values[i]));
            if (b.Result == -Errno.ENOENT) break;
            Assert.Equal(0, b.Result);
            cursor = b.OutBatch; // our position is the last key (key_size bytes)
        }
        Assert.Equal(Enumerable.Range(1, 7).Select(k => ((uint)k, (ulong)k * 10)), seen.Order());
    }

    [Fact]
    public void Lookup_and_delete_batch_empties_a_hash()
    {
        using var t = new OurTarget();
        int fd = t.CreateHash(maxEntries: 16);
        for (uint k = 1; k <= 5; k++) t.Update(fd, k, k);
        int total = 0;
        uint? cursor = null;
        for (int round = 0; round < 10; round++)
        {
            Batch b = Run(t, BpfCommand.MapLookupAndDeleteBatch, fd, 2, inBatch: cursor);
            total += (int)b.Count;
            if (b.Result == -Errno.ENOENT) break;
            cursor = b.OutBatch;
        }
        Assert.Equal(5, total);
        Assert.Equal(-Errno.ENOENT, t.NextKey(fd, null, out _));
    }
}
