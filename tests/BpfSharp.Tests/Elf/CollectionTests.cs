using System.Buffers.Binary;
using BpfSharp.Elf;
using BpfSharp.Elf.Btf;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Elf;

/// <summary>
/// The objects of tests/programs created, verified and run: expected results follow from the C sources
///.
/// </summary>
public class CollectionTests
{
    private static readonly byte[] Packet = new byte[64];

    private static uint Run(Collection c, string program) => c.Programs[program].TestRun(Packet).Retval;

    private static Collection Load(string obj, BpfSystem system, Action<CollectionSpec>? change = null)
    {
        CollectionSpec spec = ObjectReaderTests.Spec(obj);
        change?.Invoke(spec);
        return Collection.Load(spec, system);
    }

    [Fact]
    public void Programs_sharing_subprograms_compute_through_them()
    {
        using var system = new BpfSystem();
        using Collection c = Load("elf_subprogs.o", system);
        Assert.Equal(25u, Run(c, "first"));    // 3*3 + 4*4
        Assert.Equal(30u, Run(c, "second"));   // 5*5 + 1*1 + 2*2
    }

    [Fact]
    public void Global_data_starts_with_the_objects_values_and_keeps_the_programs_writes()
    {
        using var system = new BpfSystem();
        using Collection c = Load("elf_globals.o", system);
        Assert.Equal(107u, Run(c, "globals"));  // limit 100 + runs 7
        Assert.Equal(108u, Run(c, "globals"));  // runs is now 8
        Assert.Equal(9, Value<int>(c.Maps["elf_glob.data"]));
        Assert.Equal(200ul, Value<ulong>(c.Maps["elf_glob.bss"]));
        Assert.Equal(12, Value<int>(c.Maps[".data.custom"])); // 3 * 2 * 2
        BpfException e = Assert.Throws<BpfException>(() => c.Maps["elf_glob.rodata"].Update(new byte[4], new byte[4]));
        Assert.Equal(Errno.EPERM, e.Errno); // frozen
    }

    [Fact]
    public void Rewritten_constants_are_what_the_program_sees()
    {
        using var system = new BpfSystem();
        using Collection c = Load("elf_globals.o", system, spec => spec.SetVariable("limit", 5));
        Assert.Equal(12u, Run(c, "globals"));
        Assert.Throws<ArgumentException>(() => ObjectReaderTests.Spec("elf_globals.o").SetVariable("limit", 5L));
        Assert.Throws<KeyNotFoundException>(() => ObjectReaderTests.Spec("elf_globals.o").SetVariable("nope", 5));
    }

    [Fact]
    public void A_loop_bounded_by_a_read_only_constant_verifies_and_runs()
    {
        using var system = new BpfSystem();
        using (Collection c = Load("elf_bounded_loop.o", system))
            Assert.Equal(55u, Run(c, "loop"));
        using (Collection c = Load("elf_bounded_loop.o", system, spec => spec.SetVariable("iterations", 4)))
            Assert.Equal(10u, Run(c, "loop"));
    }

    [Fact]
    public void Each_program_of_a_multi_program_section_runs_on_its_own()
    {
        using var system = new BpfSystem();
        using Collection c = Load("elf_multi_prog.o", system);
        Assert.Equal((2u, 1u, 3u), (Run(c, "pass"), Run(c, "drop"), Run(c, "tx")));
    }

    [Fact]
    public void A_map_in_map_slot_filled_at_load_reaches_the_inner_map()
    {
        using var system = new BpfSystem();
        using Collection c = Load("elf_map_in_map.o", system);
        c.Maps["inner"].Update(new byte[4], BitConverter.GetBytes(77u));
        Assert.Equal(77u, Run(c, "read_inner"));
    }

    [Fact]
    public void A_program_array_slot_filled_at_load_is_a_tail_call_target()
    {
        using var system = new BpfSystem();
        using Collection c = Load("elf_tail_call.o", system);
        Assert.Equal(42u, Run(c, "entry"));
        using Collection only = Collection.Load(ObjectReaderTests.Spec("elf_tail_call.o"), system,
            new CollectionOptions { Programs = ["entry"] });
        Assert.Equal(1u, Run(only, "entry")); // target not loaded: the slot stays empty and the call falls through
    }

    [Theory]
    [InlineData(BpfSharp.Runtime.ExecutionEngine.Jit)]
    [InlineData(BpfSharp.Runtime.ExecutionEngine.Interpreter)]
    public void A_subprograms_tail_call_returns_the_targets_value_to_its_caller(BpfSharp.Runtime.ExecutionEngine engine)
    {
        using var system = new BpfSystem(new BpfSystemOptions { Engine = engine });
        using Collection c = Load("elf_subprog_tail_call.o", system);
        Assert.Equal(4207u, Run(c, "entry")); // tail(skb, 0) is target's 42, tail(skb, 1) falls through to 7
    }

    [Fact]
    public void Maps_of_several_types_work_through_their_helpers()
    {
        using var system = new BpfSystem(new BpfSystemOptions { PossibleCpus = 2 });
        using Collection c = Load("elf_map_types.o", system);
        Assert.Equal(6u, Run(c, "use_maps")); // the hash value 5, plus 1 for the bloom filter hit
        Assert.True(c.Maps["queue"].TryPeek(out uint queued));
        Assert.Equal(9u, queued);
    }

    [Fact]
    public void Legacy_maps_are_created_and_used()
    {
        using var system = new BpfSystem();
        using Collection c = Load("elf_legacy_maps.o", system);
        Assert.Equal(2u, Run(c, "count"));
        Run(c, "count");
        var value = new byte[8];
        Assert.True(c.Maps["hits"].TryLookup(BitConverter.GetBytes(2u), value));
        Assert.Equal(2ul, BinaryPrimitives.ReadUInt64LittleEndian(value));
        Assert.True(c.Maps["seen"].TryLookup(BitConverter.GetBytes(2u), new byte[4]));
    }

    [Fact]
    public void A_map_pinned_by_name_is_shared_by_a_second_load()
    {
        using var system = new BpfSystem();
        using Collection first = Load("elf_pinned.o", system);
        Assert.Equal(1u, Run(first, "bump"));
        using Collection second = Load("elf_pinned.o", system);
        Assert.Equal(2u, Run(second, "bump"));
        Assert.Equal(first.Maps["shared_counter"].Id, second.Maps["shared_counter"].Id);
    }

    [Fact]
    public void Tracing_programs_load_with_their_types()
    {
        using var system = new BpfSystem();
        using Collection c = Load("elf_tracing.o", system);
        Assert.Equal(BpfProgType.Kprobe, c.Programs["on_open"].Type);
        Assert.Equal(BpfProgType.Tracepoint, c.Programs["on_sys_enter"].Type);
        Assert.Equal(BpfProgType.RawTracepoint, c.Programs["on_raw"].Type);
        Assert.Equal(BpfProgType.PerfEvent, c.Programs["on_sample"].Type);
    }

    [Fact]
    public void A_rejected_program_leaves_nothing_open_and_carries_the_log()
    {
        using var system = new BpfSystem();
        CollectionSpec spec = ObjectReaderTests.Spec("elf_multi_prog.o");
        spec.Programs["drop"].Type = BpfProgType.Unspec;
        BpfException e = Assert.Throws<BpfException>(() => Collection.Load(spec, system));
        Assert.Equal(Errno.EINVAL, e.Errno);
    }

    [Fact]
    public void Maps_are_described_by_the_objects_btf_so_a_spin_lock_in_a_value_is_known()
    {
        using var system = new BpfSystem();
        using Collection c = Load("btf_spin_lock.o", system);
        Assert.NotNull(c.Btf);
        BpfMap values = c.Maps["values"];
        values.Update(new byte[4], new byte[16], MapFlags.BPF_F_LOCK); // BPF_F_LOCK needs a bpf_spin_lock in the value
        using Collection plain = Load("elf_map_types.o", system);
        BpfException e = Assert.Throws<BpfException>(() => plain.Maps["hash"].Update(new byte[4], new byte[8], MapFlags.BPF_F_LOCK));
        Assert.Equal(Errno.EINVAL, e.Errno);
    }

    [Fact]
    public void A_program_whose_section_starts_with_a_question_mark_loads_only_when_asked_for()
    {
        using var system = new BpfSystem();
        CollectionSpec spec = ObjectReaderTests.Spec("elf_autoload.o");
        Assert.False(spec.Programs["optional"].Autoload);
        Assert.Equal(BpfProgType.Xdp, spec.Programs["optional"].Type);
        using (Collection c = Collection.Load(spec, system))
            Assert.Equal(["loaded"], c.Programs.Keys);
        using (Collection c = Collection.Load(spec, system, new CollectionOptions { Programs = ["optional"] }))
            Assert.Equal(1u, Run(c, "optional"));
    }

    [Fact]
    public void A_global_function_is_called_like_a_subprogram()
    {
        using var system = new BpfSystem();
        using Collection c = Load("elf_global_func.o", system);
        Assert.Equal(42u, Run(c, "use_global")); // ingress_ifindex 1 (loopback) + 41
    }

    [Fact]
    public void A_hidden_global_function_is_verified_inline_as_libbpf_marks_it_static()
    {
        // Its store through the pointer argument has no NULL check: accepted only if verified with its caller.
        CollectionSpec spec = ObjectReaderTests.Spec("elf_hidden_func.o");
        BtfType func = spec.Btf!.GetType(spec.Btf.FindByName("store_len", BtfKind.Func)!.Value);
        Assert.Equal(0, func.Vlen); // a FUNC's vlen is its linkage: BTF_FUNC_STATIC (clang wrote BTF_FUNC_GLOBAL)
        using var system = new BpfSystem();
        using Collection c = Collection.Load(spec, system);
        Assert.Equal(2u, Run(c, "hidden_func")); // XDP_PASS: the packet has a length
    }

    [Fact]
    public void Co_re_accesses_follow_the_target_layout()
    {
        using var system = new BpfSystem();
        BtfBlob target = ObjectReaderTests.Spec("elf_core_target.o").Btf!;

        // The target's struct conf: u64 pad; u64 b; int a; unsigned level:5, flags:3 (bits 160-164 and 165-167).
        var moved = new byte[64];
        BitConverter.TryWriteBytes(moved.AsSpan(8), 7UL);
        BitConverter.TryWriteBytes(moved.AsSpan(16), 3);
        moved[20] = 9 | (2 << 5);
        using (Collection c = Collection.Load(ObjectReaderTests.Spec("elf_core.o"), system, new CollectionOptions { CoreTarget = target }))
        {
            c.Maps["confs"].Update(new byte[4], moved);
            // a*1000 + b*100 + level*10 + exists(b) + no conf_missing + sizeof(b)*100000 + MODE_ON*1000000
            Assert.Equal(3000u + 700 + 90 + 1 + 0 + 8 * 100_000 + 4 * 1_000_000, Run(c, "read_conf"));
        }

        // Against its own BTF nothing moves: int a; unsigned b; unsigned flags:3 (bits 64-66), level:5 (bits 67-71).
        var own = new byte[64];
        BitConverter.TryWriteBytes(own.AsSpan(0), 3);
        BitConverter.TryWriteBytes(own.AsSpan(4), 7u);
        own[8] = 2 | (9 << 3);
        CollectionSpec spec = ObjectReaderTests.Spec("elf_core.o");
        using (Collection c = Collection.Load(spec, system, new CollectionOptions { CoreTarget = spec.Btf }))
        {
            c.Maps["confs"].Update(new byte[4], own);
            Assert.Equal(3000u + 700 + 90 + 1 + 5_000_000 + 4 * 100_000 + 1 * 1_000_000, Run(c, "read_conf"));
        }
    }

    [Fact]
    public void A_co_re_access_the_target_cannot_satisfy_is_poisoned_as_libbpf_poisons_it()
    {
        using var system = new BpfSystem();
        CollectionSpec spec = ObjectReaderTests.Spec("elf_core.o");
        BtfBlob unrelated = ObjectReaderTests.Spec("elf_globals.o").Btf!; // no struct conf, no enum conf_mode
        BpfException e = Assert.Throws<BpfException>(() => Collection.Load(spec, system, new CollectionOptions { CoreTarget = unrelated }));
        Assert.Contains($"invalid func unknown#{CoreRelocator.PoisonHelper}", e.Detail);
    }

    [Fact]
    public void A_non_gpl_object_cannot_call_gpl_only_helpers()
    {
        using var system = new BpfSystem();
        CollectionSpec spec = ObjectReaderTests.Spec("elf_strings.o"); // bpf_printk: bpf_trace_printk is GPL-only
        foreach (ProgramSpec p in spec.Programs.Values) p.License = "MIT";
        BpfException e = Assert.Throws<BpfException>(() => Collection.Load(spec, system));
        Assert.Equal(Errno.EINVAL, e.Errno);
        Assert.Contains("cannot call GPL-restricted function from non-GPL compatible program", e.Detail);
    }

    // Ethernet (IPv4) + IPv4 to 127.0.0.1 (UDP) + UDP + payload.
    private static readonly byte[] UdpToLoopback = Convert.FromHexString(
        "0000000000020000000000010800" + "4500003200004000401100007f0000017f000001" + "303930390018000068656c6c6f20776f726c64"
        + "000000000000000000000000");

    [Fact]
    public void An_lpm_route_user_space_adds_decides_the_verdict()
    {
        using var system = new BpfSystem();
        using Collection c = Load("elf_lpm.o", system);
        Assert.Equal(2u, c.Programs["route"].TestRun(UdpToLoopback).Retval); // no route: XDP_PASS
        // 127.0.0.0/8 -> XDP_DROP (key: prefixlen, then the address in network order)
        c.Maps["routes"].Update([8, 0, 0, 0, 127, 0, 0, 0], BitConverter.GetBytes(1u));
        Assert.Equal(1u, c.Programs["route"].TestRun(UdpToLoopback).Retval);
    }

    [Fact]
    public void A_hash_of_maps_reaches_the_inner_map_user_space_put_in()
    {
        using var system = new BpfSystem();
        using Collection c = Load("elf_hash_of_maps.o", system);
        Assert.Equal(1u, Run(c, "count_tenant")); // no tenant 7 yet: XDP_DROP
        using var inner = BpfMap.Create(system, new BpfMapSpec(BpfMapType.Array, 4, 8, 4));
        c.Maps["tenants"].Update(BitConverter.GetBytes(7u), BitConverter.GetBytes(inner.Fd));
        Assert.Equal(2u, Run(c, "count_tenant"));
        var n = new byte[8];
        Assert.True(inner.TryLookup(new byte[4], n));
        Assert.Equal(1ul, BitConverter.ToUInt64(n));
    }

    [Fact]
    public void Kconfig_externs_read_the_running_kernels_values()
    {
        using var system = new BpfSystem();
        CollectionSpec spec = ObjectReaderTests.Spec("elf_kconfig.o");
        MapSpec kconfig = spec.Maps["elf_kco.kconfig"];
        Assert.True(kconfig.Freeze);
        using Collection c = Collection.Load(spec, system);
        string[] release = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Split('.', '-') : ["0", "0"];
        Assert.Equal((uint)(int.Parse(release[0]) << 8 | int.Parse(release[1])), Run(c, "kernel_version"));
        bool bpfSyscall = Kconfig.Value("CONFIG_BPF_SYSCALL", 1) is [1];
        Assert.Equal(bpfSyscall ? 10u : 0u, Run(c, "options")); // the weak extern no kernel has reads 0
    }

    private static T Value<T>(BpfMap map) where T : unmanaged
    {
        var value = new byte[map.ValueSize];
        Assert.True(map.TryLookup(new byte[4], value));
        return System.Runtime.InteropServices.MemoryMarshal.Read<T>(value);
    }
}
