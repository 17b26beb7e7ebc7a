using BpfSharp.Elf;
using BpfSharp.Tests.Syscall;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Elf;

/// <summary>
/// Maps an object leaves for its user-space loader to size (loader_unsized_maps.c, declared as bcc's libbpf-tools
/// declare them): sizes given as libbpf's bpf_map__set_max_entries / bpf_map__set_value_size give them
/// (<see cref="CollectionOptions.MaxEntries"/>, <see cref="CollectionOptions.ValueSizes"/>), stand-ins for verifying
/// (<see cref="CollectionOptions.StandInSizes"/>), and the refusal otherwise, which the kernel makes too.
/// </summary>
public class CollectionSizesTests
{
    private const string Unsized = "loader_unsized_maps.o";
    private static readonly uint Page = (uint)Environment.SystemPageSize;

    private static CollectionOptions Sizes(params (string Map, uint N)[] maxEntries) =>
        new() { MaxEntries = maxEntries.ToDictionary(s => s.Map, s => s.N) };

    [Fact]
    public void Without_sizes_the_first_unsized_map_is_refused_with_what_to_set()
    {
        using var system = new BpfSystem();
        CollectionSpec spec = ObjectReaderTests.Spec(Unsized);
        BpfException e = Assert.Throws<BpfException>(() => Collection.Load(spec, system));
        Assert.Equal(Errno.EINVAL, e.Errno);
        Assert.Equal("BPF_MAP_CREATE", e.Operation);
        Assert.Contains("map 'stackmap' (stackmap: StackTrace key 4 value 0 max 0): max_entries is 0;", e.Message); // the first declared
        Assert.Contains("CollectionOptions.MaxEntries", e.Message);
    }

    [Fact]
    public void A_stack_trace_map_sized_but_without_value_size_says_so()
    {
        using var system = new BpfSystem();
        CollectionSpec spec = ObjectReaderTests.Spec(Unsized);
        BpfException e = Assert.Throws<BpfException>(() => Collection.Load(spec, system, Sizes(("counts", 16), ("stackmap", 16))));
        Assert.Contains("map 'stackmap'", e.Message);
        Assert.Contains("value_size is 0;", e.Message);
        Assert.Contains("CollectionOptions.ValueSizes", e.Message);
    }

    [Fact]
    public void Sizes_given_as_the_loader_sets_them_create_the_maps_and_leave_the_spec_alone()
    {
        using var system = new BpfSystem();
        CollectionSpec spec = ObjectReaderTests.Spec(Unsized);
        var options = Sizes(("counts", 100), ("stackmap", 64)) with { ValueSizes = new Dictionary<string, uint> { ["stackmap"] = 20 * 8 } };
        using Collection c = Collection.Load(spec, system, options);
        Assert.Equal((BpfMapType.Hash, 4u, 8u, 100u), (c.Maps["counts"].Type, c.Maps["counts"].KeySize, c.Maps["counts"].ValueSize, c.Maps["counts"].MaxEntries));
        Assert.Equal((BpfMapType.StackTrace, 4u, 160u, 64u),
            (c.Maps["stackmap"].Type, c.Maps["stackmap"].KeySize, c.Maps["stackmap"].ValueSize, c.Maps["stackmap"].MaxEntries));
        Assert.Empty(c.Notes);
        Assert.True(c.Programs.ContainsKey("count_stacks"));
        Assert.Equal(0u, spec.Maps["counts"].MaxEntries);
        Assert.Equal(0u, spec.Maps["stackmap"].ValueSize);
    }

    [Fact]
    public void Stand_in_sizes_let_the_program_verify_and_are_noted_per_map()
    {
        using var system = new BpfSystem();
        using Collection c = Collection.Load(ObjectReaderTests.Spec(Unsized), system, new CollectionOptions { StandInSizes = true });
        Assert.Equal(Collection.StandInMaxEntries, c.Maps["counts"].MaxEntries);
        Assert.Equal(Collection.StandInMaxEntries, c.Maps["stackmap"].MaxEntries);
        Assert.Equal(Collection.StandInStackTraceValueSize, c.Maps["stackmap"].ValueSize);
        Assert.Equal(1016u, Collection.StandInStackTraceValueSize); // PERF_MAX_STACK_DEPTH (127) frames of 8 bytes
        Assert.Equal(3, c.Notes.Count);
        Assert.Contains(c.Notes, n => n.StartsWith("map 'counts': max_entries is 0", StringComparison.Ordinal));
        Assert.Contains(c.Notes, n => n.StartsWith("map 'stackmap': max_entries is 0", StringComparison.Ordinal));
        Assert.Contains(c.Notes, n => n.StartsWith("map 'stackmap': value_size is 0", StringComparison.Ordinal));
        Assert.True(c.Programs.ContainsKey("count_stacks"));
    }

    [Fact]
    public void A_size_for_a_map_the_object_does_not_define_is_refused()
    {
        using var system = new BpfSystem();
        var e = Assert.Throws<InvalidOperationException>(() =>
            Collection.Load(ObjectReaderTests.Spec(Unsized), system, Sizes(("counts", 1), ("missing", 1))));
        Assert.Contains("'missing'", e.Message);
    }

    // libbpf's adjust_ringbuf_sz: the size if it is a power-of-2 number of pages, else the smallest such size above it.
    [Theory]
    [InlineData(0u, 1u, 1u)] // one byte: one page
    [InlineData(1u, 0u, 1u)]
    [InlineData(1u, 1u, 2u)]
    [InlineData(2u, 0u, 2u)]
    [InlineData(3u, 0u, 4u)]
    [InlineData(4u, 1u, 8u)]
    [InlineData(5u, 0u, 8u)]
    public void A_ring_buffer_size_is_rounded_up_to_a_power_of_two_number_of_pages(uint pages, uint bytes, uint expectedPages)
    {
        using var system = new BpfSystem();
        using Collection c = Collection.Load(ObjectReaderTests.Spec("elf_ringbuf.o"), system, Sizes(("events", pages * Page + bytes)));
        Assert.Equal(expectedPages * Page, c.Maps["events"].MaxEntries);
    }

    [Fact]
    public void A_ring_buffer_left_at_0_gets_one_page_as_its_stand_in()
    {
        using var system = new BpfSystem();
        using Collection c = Collection.Load(ObjectReaderTests.Spec("elf_ringbuf.o"), system,
            Sizes(("events", 0)) with { StandInSizes = true });
        Assert.Equal(Page, c.Maps["events"].MaxEntries);
        Assert.Contains(c.Notes, n => n.StartsWith("map 'events': max_entries is 0", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(BpfMapType.Hash, true)]
    [InlineData(BpfMapType.Array, true)]
    [InlineData(BpfMapType.StackTrace, true)]
    [InlineData(BpfMapType.Ringbuf, true)]
    [InlineData(BpfMapType.Arena, true)]
    [InlineData(BpfMapType.PerfEventArray, false)] // libbpf: one slot per possible CPU
    [InlineData(BpfMapType.StructOps, false)]      // libbpf: 1
    [InlineData(BpfMapType.SkStorage, false)]      // the kernel takes only 0
    [InlineData(BpfMapType.TaskStorage, false)]
    [InlineData(BpfMapType.CgroupStorage, false)]
    public void Which_map_types_need_a_size_from_the_loader(BpfMapType type, bool needs) =>
        Assert.Equal(needs, Collection.NeedsMaxEntries(type));

    public static TheoryData<BpfMapType, uint, uint, uint, int> MapCreates()
    {
        uint page = (uint)Environment.SystemPageSize;
        return new()
        {
            // what the object declares: the kernel refuses max_entries 0 (and a stack trace map without value_size)
            { BpfMapType.Hash, 4, 8, 0, -Errno.EINVAL },
            { BpfMapType.StackTrace, 4, 0, 0, -Errno.EINVAL },
            { BpfMapType.StackTrace, 4, 1016, 0, -Errno.EINVAL },
            { BpfMapType.StackTrace, 4, 0, 1, -Errno.EINVAL },
            { BpfMapType.Ringbuf, 0, 0, 0, -Errno.EINVAL },
            // the stand-ins: taken
            { BpfMapType.Hash, 4, 8, Collection.StandInMaxEntries, 0 },
            { BpfMapType.StackTrace, 4, Collection.StandInStackTraceValueSize, Collection.StandInMaxEntries, 0 },
            { BpfMapType.Ringbuf, 0, 0, page, 0 },
        };
    }

    [SkippableTheory]
    [MemberData(nameof(MapCreates))]
    public void The_kernel_refuses_unsized_maps_and_takes_the_stand_ins_as_we_do(BpfMapType type, uint key, uint value, uint max, int expected)
    {
        Skip.IfNot(KernelTarget.IsAvailable, "bpf() is not available to this process");
        using var kernel = new KernelTarget();
        using var ours = new OurTarget();
        int k = kernel.CreateMap(type, key, value, max), o = ours.CreateMap(type, key, value, max);
        Assert.Equal(expected, Math.Min(k, 0));
        Assert.Equal(expected, Math.Min(o, 0));
    }
}
