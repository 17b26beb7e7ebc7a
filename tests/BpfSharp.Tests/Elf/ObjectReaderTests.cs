using BpfSharp.Elf;
using BpfSharp.Isa;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Elf;

/// <summary>
/// What the loader reads from the clang-built objects of tests/programs. Expected values come from the C
/// sources; the global data maps' names are the ones libbpf gives them (checked with bpftool on this machine).
/// </summary>
public class ObjectReaderTests
{
    private static readonly string[] GlobalMaps = [".data.custom", "elf_glob.bss", "elf_glob.data", "elf_glob.rodata"];

    internal static CollectionSpec Spec(string name) => CollectionSpec.Load(TestPrograms.PathOf(name));

    [Fact]
    public void Global_data_sections_become_single_element_arrays_named_as_libbpf_names_them()
    {
        CollectionSpec spec = Spec("elf_globals.o");
        Assert.Equal(GlobalMaps, spec.Maps.Keys.Order());
        MapSpec rodata = spec.Maps["elf_glob.rodata"];
        Assert.Equal((BpfMapType.Array, 4u, 4u, 1u), (rodata.Type, rodata.KeySize, rodata.ValueSize, rodata.MaxEntries));
        Assert.True(rodata.Freeze);
        Assert.Equal(MapFlags.BPF_F_RDONLY_PROG | MapFlags.BPF_F_MMAPABLE, rodata.Flags);
        Assert.Equal(BitConverter.GetBytes(100), rodata.Contents);
        Assert.Equal(BitConverter.GetBytes(7), spec.Maps["elf_glob.data"].Contents);
        Assert.Equal(new byte[8], spec.Maps["elf_glob.bss"].Contents);
        Assert.Equal(BitConverter.GetBytes(3), spec.Maps[".data.custom"].Contents);
        Assert.Equal(new VariableSpec("limit", "elf_glob.rodata", 0, 4), spec.Variables["limit"]);
        Assert.Equal(new VariableSpec("total", "elf_glob.bss", 0, 8), spec.Variables["total"]);
    }

    [Fact]
    public void Programs_get_type_attach_type_and_license_from_their_sections()
    {
        CollectionSpec spec = Spec("elf_packet.o");
        Assert.Equal("GPL", spec.License);
        Assert.Equal((BpfProgType.Xdp, (uint)BpfAttachType.Xdp), (spec.Programs["xdp_udp_drop"].Type, spec.Programs["xdp_udp_drop"].ExpectedAttachType));
        Assert.Equal(BpfProgType.SchedCls, spec.Programs["tc_mark"].Type);
        Assert.Equal((BpfProgType.CgroupSkb, (uint)BpfAttachType.CgroupInetIngress), (spec.Programs["cg_allow"].Type, spec.Programs["cg_allow"].ExpectedAttachType));
        Assert.All(spec.Programs.Values, p => Assert.Equal("GPL", p.License));
        Assert.Equal("Dual BSD/GPL", Spec("elf_multi_prog.o").License);
    }

    [Fact]
    public void Every_function_of_a_multi_program_section_is_a_program()
    {
        CollectionSpec spec = Spec("elf_multi_prog.o");
        Assert.Equal(["pass", "drop", "tx"], spec.Programs.Keys);
        Assert.All(spec.Programs.Values, p => Assert.Equal(("xdp", 2), (p.SectionName, p.Instructions.Length)));
    }

    [Fact]
    public void Subprograms_are_appended_to_each_program_that_calls_them_and_calls_point_at_them()
    {
        CollectionSpec spec = Spec("elf_subprogs.o");
        ProgramSpec first = spec.Programs["first"], second = spec.Programs["second"];
        Assert.Equal(BpfProgType.SocketFilter, second.Type);
        foreach (ProgramSpec p in new[] { first, second })
        {
            Assert.True(p.Instructions.Length > p.MainLength);
            for (int i = 0; i < p.Instructions.Length; i++)
            {
                Instruction insn = p.Instructions[i];
                if (insn.Opcode != (Opcodes.BPF_JMP | Opcodes.BPF_CALL) || insn.Src != Opcodes.BPF_PSEUDO_CALL) continue;
                int target = i + insn.Imm + 1;
                Assert.InRange(target, p.MainLength, p.Instructions.Length - 1); // into an appended subprogram
            }
        }
        Assert.DoesNotContain(spec.Programs.Keys, k => k is "square" or "sum_of_squares"); // .text holds no programs
    }

    [Fact]
    public void Btf_defined_maps_read_type_sizes_flags_and_extra()
    {
        CollectionSpec spec = Spec("elf_map_types.o");
        Assert.Equal((BpfMapType.Hash, 4u, 8u, 8u), Shape(spec.Maps["hash"]));
        Assert.Equal((BpfMapType.PercpuArray, 4u, 8u, 2u), Shape(spec.Maps["percpu"]));
        Assert.Equal((BpfMapType.LruHash, 4u, 4u, 8u), Shape(spec.Maps["lru"]));
        Assert.Equal((BpfMapType.Queue, 0u, 4u, 4u), Shape(spec.Maps["queue"]));
        Assert.Equal((BpfMapType.BloomFilter, 0u, 4u, 16u), Shape(spec.Maps["bloom"]));
        Assert.Equal(3ul, spec.Maps["bloom"].MapExtra);
        Assert.NotEqual(0u, spec.Maps["hash"].BtfKeyTypeId);
        Assert.Equal(MapPinning.ByName, Spec("elf_pinned.o").Maps["shared_counter"].Pinning);
    }

    [Fact]
    public void Legacy_map_definitions_are_read_from_the_maps_section()
    {
        CollectionSpec spec = Spec("elf_legacy_maps.o");
        Assert.Equal((BpfMapType.Array, 4u, 8u, 4u), Shape(spec.Maps["hits"]));
        Assert.Equal((BpfMapType.Hash, 4u, 4u, 16u), Shape(spec.Maps["seen"]));
        Assert.Equal(MapFlags.BPF_F_NO_PREALLOC, spec.Maps["seen"].Flags);
        Assert.Equal(["hits", "seen"], spec.Programs["count"].MapReferences.Select(r => r.Map).Distinct().Order());
    }

    [Fact]
    public void Values_initializers_fill_map_in_map_and_program_array_slots()
    {
        MapSpec outer = Spec("elf_map_in_map.o").Maps["outer"];
        Assert.Equal((BpfMapType.ArrayOfMaps, 4u, 4u, 2u), Shape(outer));
        Assert.Equal((BpfMapType.Array, 4u, 4u, 1u), Shape(outer.InnerMap!));
        Assert.Equal([new MapSlot(1, "inner")], outer.Slots);

        MapSpec table = Spec("elf_tail_call.o").Maps["jump_table"];
        Assert.Equal((BpfMapType.ProgArray, 4u, 4u, 4u), Shape(table));
        Assert.Equal([new MapSlot(2, "target")], table.Slots);
    }

    [Fact]
    public void Global_data_references_become_map_value_loads_with_the_variables_offset()
    {
        ProgramSpec p = Spec("elf_globals.o").Programs["globals"];
        Assert.All(p.MapReferences, r =>
        {
            Assert.True(r.IsValue);
            Assert.Equal(Opcodes.BPF_PSEUDO_MAP_VALUE, p.Instructions[r.Instruction].Src);
        });
        Assert.Equal(GlobalMaps, p.MapReferences.Select(r => r.Map).Distinct().Order());
    }

    [Fact]
    public void Kernel_internal_map_names_follow_libbpf()
    {
        Assert.Equal("xdp_coun.rodata", ObjectReader.InternalMapName("xdp_counter", ".rodata"));
        Assert.Equal("a.data", ObjectReader.InternalMapName("a", ".data"));
        Assert.Equal("elf_glob.data", ObjectReader.InternalMapName("elf_globals", ".data"));
        Assert.Equal(".rodata.str1.1", ObjectReader.InternalMapName("anything", ".rodata.str1.1"));
        Assert.Equal("my_prog.bss", ObjectReader.InternalMapName("my-prog", ".bss")); // '-' is not allowed in a map name
    }

    [Fact]
    public void Malformed_objects_fail_with_the_section_and_offset()
    {
        byte[] image = TestPrograms.Read("elf_globals.o");
        byte[] x86 = (byte[])image.Clone();
        x86[18] = 62; // EM_X86_64
        Assert.Contains("machine 62 is not EM_BPF", Assert.Throws<BpfFormatException>(() => CollectionSpec.Load(x86)).Message);
        Assert.Contains("lies outside", Assert.Throws<BpfFormatException>(() => CollectionSpec.Load(image[..(image.Length / 2)])).Message);
        Assert.Contains("not an ELF file", Assert.Throws<BpfFormatException>(() => CollectionSpec.Load(new byte[10])).Message);
    }

    private static (BpfMapType, uint, uint, uint) Shape(MapSpec m) => (m.Type, m.KeySize, m.ValueSize, m.MaxEntries);
}
