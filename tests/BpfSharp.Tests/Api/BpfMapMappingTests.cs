using BpfSharp.Uapi;
using static BpfSharp.Tests.Api.ApiKit;

namespace BpfSharp.Tests.Api;

/// <summary>
/// BPF_F_MMAPABLE arrays used in place through <see cref="BpfMapMapping"/>: the span is the memory
/// programs and the element commands use; the kernel's mmap rules (only mmapable arrays; no writable
/// mapping of a frozen map; no freeze while a writable mapping exists) hold.
/// </summary>
public class BpfMapMappingTests
{
    [Fact]
    public void The_span_is_the_memory_programs_and_commands_use()
    {
        using BpfSystem system = NewSystem();
        using var map = BpfMap<uint, ulong>.Create(system, BpfMapType.Array, 16, MapFlags.BPF_F_MMAPABLE);
        using BpfMapMapping mapping = map.Mmap();
        Span<ulong> values = mapping.Values<ulong>();
        Assert.Equal(16, values.Length);
        Assert.Equal(0, mapping.Address % 4096); // page-aligned
        Assert.Equal(4096ul, mapping.Length);

        values[3] = 42; // a store through the span ...
        Assert.Equal(42ul, map[3]); // ... is what a lookup copies
        map[4] = 7;
        Assert.Equal(7ul, values[4]);

        using BpfProgram program = BpfProgram.Load(system, BpfProgType.SocketFilter, AddToCounter(map, 5, add: 9));
        Assert.Equal(0u, RunOnce(program));
        Assert.Equal(9ul, values[5]); // the program's atomic add, seen without a copy
        Assert.Equal(9ul, mapping.Value<ulong>(5));
    }

    [Fact]
    public void Values_smaller_than_8_bytes_are_reached_by_index()
    {
        using BpfSystem system = NewSystem();
        using var map = BpfMap<uint, uint>.Create(system, BpfMapType.Array, 4, MapFlags.BPF_F_MMAPABLE);
        using BpfMapMapping mapping = map.Mmap();
        Assert.Equal(8u, mapping.ElementStride);
        Assert.Throws<ArgumentException>(() => mapping.Values<uint>());
        mapping.Value<uint>(2) = 0xabcd;
        Assert.Equal(0xabcdu, map[2]);
        Assert.Throws<ArgumentOutOfRangeException>(() => mapping.Value<uint>(4));
    }

    [Fact]
    public void The_mapping_keeps_the_map_alive_after_its_fd_is_closed()
    {
        using BpfSystem system = NewSystem();
        var map = BpfMap<uint, ulong>.Create(system, BpfMapType.Array, 2, MapFlags.BPF_F_MMAPABLE);
        BpfMapMapping mapping = map.Mmap(writable: false);
        map[1] = 5;
        uint id = map.Id;
        map.Dispose();
        Assert.Equal(5ul, mapping.Values<ulong>()[1]);
        using (BpfMap.FromId(system, id)) { } // still there: the mapping holds a reference
        mapping.Dispose();
        Assert.Equal(Errno.ENOENT, ErrnoOf(() => BpfMap.FromId(system, id))); // freed once unmapped
        Assert.Throws<ObjectDisposedException>(() => mapping.Bytes.Length);
    }

    [Fact]
    public void Freeze_and_writable_mappings_exclude_each_other()
    {
        using BpfSystem system = NewSystem();
        using var map = BpfMap<uint, ulong>.Create(system, BpfMapType.Array, 2, MapFlags.BPF_F_MMAPABLE);
        using (map.Mmap(writable: true))
            Assert.Equal(Errno.EBUSY, ErrnoOf(map.Freeze)); // kernel: bpf_map_write_active
        map.Freeze();
        Assert.Equal(Errno.EPERM, ErrnoOf(() => map.Mmap(writable: true)));
        using BpfMapMapping readOnly = map.Mmap(writable: false);
        Assert.False(readOnly.IsWritable);
    }

    public static TheoryData<string, BpfMapType, uint, int> NotMappable => new()
    {
        { "array without BPF_F_MMAPABLE", BpfMapType.Array, 0, Errno.EINVAL },
        { "hash", BpfMapType.Hash, 0, Errno.ENOTSUPP },
        { "per-CPU array", BpfMapType.PercpuArray, 0, Errno.ENOTSUPP },
    };

    [Theory]
    [MemberData(nameof(NotMappable))]
    public void Only_mmapable_arrays_can_be_mapped(string name, BpfMapType type, uint flags, int errno)
    {
        using BpfSystem system = NewSystem();
        using BpfMap map = BpfMap.Create(system, type, 4, 8, 4, flags);
        Assert.True(errno == ErrnoOf(() => map.Mmap()), name);
    }
}
