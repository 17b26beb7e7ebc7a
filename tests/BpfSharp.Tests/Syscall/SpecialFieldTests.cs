using BpfSharp.Elf.Btf;
using BpfSharp.Syscall;
using BpfSharp.Tests.Elf.Btf;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Syscall;

/// <summary>
/// Map values with special fields (a bpf_spin_lock, a bpf_timer, found through BTF), on our system (with
/// the real BTF parser) and on the live kernel: user space never reads those bytes (lookups return them
/// as zeros: check_and_init_map_value), never writes them (copy_map_value skips them), and such maps
/// cannot be frozen (map_freeze: -ENOTSUPP for a map with a btf_record). A second freeze is -EPERM: a
/// frozen map has no write permission left (map_get_sys_perms).
/// </summary>
public unsafe class SpecialFieldTests
{
    /// <summary>The value types of <see cref="Blob"/>: type id, size, lock and timer offsets (-1 if none).</summary>
    internal sealed record ValueType(string Name, uint Id, uint Size, int Lock, int Timer);

    private const uint IntId = 1;

    private static readonly ValueType LockValue = new("int, lock, long", 9, 16, 4, -1);
    private static readonly ValueType TimerValue = new("long, timer, int", 10, 32, -1, 8);
    private static readonly ValueType BothValue = new("int, lock, timer, long", 11, 32, 4, 8);
    private static readonly ValueType PlainValue = new("long, long", 12, 16, -1, -1);
    private static readonly ValueType[] Values = [LockValue, TimerValue, BothValue, PlainValue];

    /// <summary>[1] int, [2] unsigned int, [3] long, [4] bpf_spin_lock, [5] u64, [6] u64[2], [7] bpf_timer, [8] (unused), [9]-[12] values.</summary>
    private static byte[] Blob()
    {
        var b = new BtfBuilder();
        b.Int("int", 4, BtfConstants.IntSigned);                      // 1
        b.Int("unsigned int", 4);                                     // 2
        b.Int("long", 8, BtfConstants.IntSigned);                     // 3
        b.Struct("bpf_spin_lock", 4, ("val", 2, 0));                  // 4
        b.Int("unsigned long long", 8);                               // 5
        b.Array(5, 1, 2);                                             // 6
        b.Struct("bpf_timer", 16, ("__opaque", 6, 0));                // 7
        b.Struct("unused", 4, ("x", 1, 0));                           // 8
        b.Struct("lockval", 16, ("a", 1, 0), ("l", 4, 32), ("b", 3, 64));                            // 9
        b.Struct("timerval", 32, ("a", 3, 0), ("t", 7, 64), ("c", 1, 192));                          // 10
        b.Struct("both", 32, ("a", 1, 0), ("l", 4, 32), ("t", 7, 64), ("z", 3, 192));                 // 11
        b.Struct("plain", 16, ("a", 3, 0), ("b", 3, 64));                                            // 12
        return b.Build();
    }

    private static IBpfTarget Create(string target) =>
        target == "ours" ? new OurTarget(new BpfSystemOptions { PossibleCpus = 2 }) : Targets.Create(target);

    /// <summary>A map of <paramref name="type"/> whose value is <paramref name="value"/>: its fd, or -errno.</summary>
    private static int CreateMap(IBpfTarget t, BpfMapType type, ValueType value, uint maxEntries = 4, uint flags = 0)
    {
        int btf = t.LoadBtf(Blob(), out string log, logSize: 1 << 16);
        Assert.True(btf >= 0, $"{Errno.Name(btf)}: {log}");
        BpfAttr attr = Calls.MapCreateAttr(type, 4, value.Size, maxEntries, flags);
        attr.MapCreate.BtfFd = (uint)btf;
        attr.MapCreate.BtfKeyTypeId = IntId;
        attr.MapCreate.BtfValueTypeId = value.Id;
        return t.Bpf(BpfCommand.MapCreate, ref attr);
    }

    private static int Elem(IBpfTarget t, BpfCommand cmd, int fd, uint key, byte[]? value, ulong flags = 0)
    {
        fixed (byte* v = value)
        {
            BpfAttr attr = default;
            attr.MapElem.MapFd = (uint)fd;
            attr.MapElem.Key = (ulong)&key;
            attr.MapElem.Value = (ulong)v;
            attr.MapElem.Flags = flags;
            return t.Bpf(cmd, ref attr);
        }
    }

    private static byte[] Filled(uint size, byte b) => Enumerable.Repeat(b, (int)size).ToArray();

    /// <summary>What a sequence of user-space commands gives back: every result and every byte read.</summary>
    private static string Transcript(IBpfTarget t, BpfMapType type, ValueType value)
    {
        var lines = new List<string>();
        int fd = CreateMap(t, type, value);
        lines.Add($"create {Errno.Name(Math.Min(fd, 0))}");
        if (fd < 0) return string.Join("\n", lines);
        bool hasLock = value.Lock >= 0;

        void Lookup(uint key, ulong flags)
        {
            byte[] back = Filled(value.Size, 0xcc);
            int rc = Elem(t, BpfCommand.MapLookupElem, fd, key, back, flags);
            lines.Add($"lookup {key} flags={flags}: {Errno.Name(rc)} {Convert.ToHexString(back)}");
        }

        lines.Add($"update ff: {Errno.Name(Elem(t, BpfCommand.MapUpdateElem, fd, 1, Filled(value.Size, 0xff)))}");
        Lookup(1, 0);
        Lookup(1, MapFlags.BPF_F_LOCK);
        lines.Add($"update 5a locked: {Errno.Name(Elem(t, BpfCommand.MapUpdateElem, fd, 1, Filled(value.Size, 0x5a), MapFlags.BPF_F_LOCK))}");
        Lookup(1, hasLock ? MapFlags.BPF_F_LOCK : 0);
        lines.Add($"update 77: {Errno.Name(Elem(t, BpfCommand.MapUpdateElem, fd, 1, Filled(value.Size, 0x77)))}");
        Lookup(1, 0);
        if (type == BpfMapType.Hash)
        {
            byte[] back = Filled(value.Size, 0xcc);
            int rc = Elem(t, BpfCommand.MapLookupAndDeleteElem, fd, 1, back);
            lines.Add($"lookup_and_delete: {Errno.Name(rc)} {Convert.ToHexString(back)}");
        }
        lines.Add($"freeze: {Errno.Name(t.Freeze(fd))}");
        lines.Add($"freeze again: {Errno.Name(t.Freeze(fd))}");
        lines.Add($"update after freeze: {Errno.Name(Elem(t, BpfCommand.MapUpdateElem, fd, 2, Filled(value.Size, 0x11)))}");
        return string.Join("\n", lines);
    }

    public static TheoryData<BpfMapType, string> Cases()
    {
        var rows = new TheoryData<BpfMapType, string>();
        foreach (BpfMapType type in new[] { BpfMapType.Hash, BpfMapType.Array, BpfMapType.LruHash, BpfMapType.PercpuHash })
            foreach (ValueType value in Values)
                rows.Add(type, value.Name);
        return rows;
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void User_space_reads_and_writes_values_with_special_fields_as_the_kernel_does(BpfMapType type, string value)
    {
        Skip.IfNot(KernelTarget.IsAvailable, Targets.NoKernel);
        ValueType v = Values.Single(x => x.Name == value);
        string kernel, ours;
        using (IBpfTarget t = Create("kernel")) kernel = Transcript(t, type, v);
        using (IBpfTarget t = Create("ours")) ours = Transcript(t, type, v);
        Assert.Equal(kernel, ours);
    }

    [SkippableTheory]
    [InlineData("ours", MapFlags.BPF_F_RDONLY, -Errno.ENOTSUPP)] // the btf_record is checked before the write permission
    [InlineData("kernel", MapFlags.BPF_F_RDONLY, -Errno.ENOTSUPP)]
    [InlineData("ours", 0u, -Errno.ENOTSUPP)]
    [InlineData("kernel", 0u, -Errno.ENOTSUPP)]
    public void A_map_with_a_spin_lock_cannot_be_frozen(string target, uint flags, int expected)
    {
        using IBpfTarget t = Create(target);
        int fd = CreateMap(t, BpfMapType.Array, LockValue, flags: flags);
        Assert.True(fd >= 0, Errno.Name(fd));
        Assert.Equal(Errno.Name(expected), Errno.Name(t.Freeze(fd)));
    }

    [Theory]
    [InlineData(BpfMapType.Hash)]
    [InlineData(BpfMapType.Array)]
    public void Lookups_give_zeros_for_the_special_fields(BpfMapType type)
    {
        using IBpfTarget t = Create("ours");
        int fd = CreateMap(t, type, BothValue);
        Assert.Equal(0, Elem(t, BpfCommand.MapUpdateElem, fd, 1, Filled(32, 0xff)));
        byte[] back = Filled(32, 0xcc);
        Assert.Equal(0, Elem(t, BpfCommand.MapLookupElem, fd, 1, back, MapFlags.BPF_F_LOCK));
        byte[] expected = Filled(32, 0xff);
        Array.Clear(expected, 4, 4);   // bpf_spin_lock
        Array.Clear(expected, 8, 16);  // bpf_timer
        Assert.Equal(expected, back);
    }

    [Theory]
    [InlineData(BpfMapType.Hash, true)]
    [InlineData(BpfMapType.Hash, false)]
    [InlineData(BpfMapType.Array, true)]
    [InlineData(BpfMapType.Array, false)]
    public void Updates_leave_the_lock_and_timer_in_the_map_untouched(BpfMapType type, bool locked)
    {
        using var t = new OurTarget(new BpfSystemOptions { PossibleCpus = 2 });
        int fd = CreateMap(t, type, BothValue);
        Assert.Equal(0, Elem(t, BpfCommand.MapUpdateElem, fd, 1, Filled(32, 0x11)));
        Assert.Equal(0, t.System.GetObject(fd, out var obj));
        var map = (BpfSharp.Maps.Map)obj!;
        try
        {
            uint key = 1;
            byte* stored;
            using (t.System.Epochs.Enter())
                stored = map.LookupElem((byte*)&key, 0);
            // What a program's bpf_timer_init would have left there.
            new Span<byte>(stored + 8, 16).Fill(0xab);
            Assert.Equal(0, Elem(t, BpfCommand.MapUpdateElem, fd, 1, Filled(32, 0x22), locked ? MapFlags.BPF_F_LOCK : 0));
            using (t.System.Epochs.Enter())
                stored = map.LookupElem((byte*)&key, 0);
            byte[] now = new ReadOnlySpan<byte>(stored, 32).ToArray();
            Assert.Equal(Filled(4, 0x22), now[..4]);
            Assert.Equal(Filled(4, 0), now[4..8]); // the lock word: free, never copied
            // An in-place update (ARRAY, or HASH with BPF_F_LOCK) keeps the timer; a HASH update without
            // BPF_F_LOCK builds a new element, whose timer starts zeroed.
            bool inPlace = type == BpfMapType.Array || locked;
            Assert.Equal(Filled(16, inPlace ? (byte)0xab : (byte)0), now[8..24]);
            Assert.Equal(Filled(8, 0x22), now[24..32]);
        }
        finally
        {
            map.Release();
        }
    }
}
