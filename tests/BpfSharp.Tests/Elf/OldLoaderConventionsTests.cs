using System.Buffers.Binary;
using BpfSharp.Elf;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Elf;

/// <summary>
/// Objects written for loaders other than libbpf 1.x, as old and real-world objects are: samples/bpf's bpf_load.c
/// (28-byte map definitions with inner_map_idx), iproute2's tc (36-byte bpf_elf_map, inner maps by id), libbpf 0.x
/// (section names matched by prefix, programs without STT_FUNC symbols, e_machine EM_NONE) and cilium/ebpf (static
/// programs, ring buffers and perf event arrays that only name their record type, loader-defined pinning). Expected
/// values follow from the C sources in tests/programs and the loaders' documented conventions.
/// </summary>
public class OldLoaderConventionsTests
{
    private static readonly byte[] Packet = new byte[64];

    [Fact]
    public void Bpf_load_map_definitions_give_a_map_in_map_its_inner_template()
    {
        CollectionSpec spec = ObjectReaderTests.Spec("elf_old_loaders.o");
        Assert.Equal((BpfMapType.Array, 4u, 8u, 2u), Shape(spec.Maps["counters"]));
        MapSpec tables = spec.Maps["tables"];
        Assert.Equal((BpfMapType.ArrayOfMaps, 4u, 4u, 4u), Shape(tables)); // value: the inner map's fd
        Assert.Equal((BpfMapType.Array, 4u, 8u, 2u), Shape(tables.InnerMap!));
    }

    [Fact]
    public void Libbpf_0x_section_prefixes_give_the_program_type()
    {
        CollectionSpec spec = ObjectReaderTests.Spec("elf_old_loaders.o");
        Assert.Equal(BpfProgType.SocketFilter, spec.Programs["count_in_table"].Type); // "socket1"
        Assert.Equal(BpfProgType.Xdp, spec.Programs["count_frames"].Type);            // "xdp_legacy"
        Assert.Equal(BpfProgType.SchedCls, ObjectReaderTests.Spec("elf_tc_loader.o").Programs["by_port"].Type); // "classifier_ingress"
        Assert.True(ProgramSection.TryParseLegacy("sk_skb/stream_parser_x", out ProgramSection s));
        Assert.Equal(BpfAttachType.SkSkbStreamParser, (BpfAttachType)s.ExpectedAttachType); // the longest prefix wins
        Assert.False(ProgramSection.TryParseLegacy("from-container", out _));
    }

    [Fact]
    public void A_legacy_map_in_map_holds_a_map_of_the_templates_shape_and_the_program_reaches_it()
    {
        using var system = new BpfSystem();
        using Collection c = Collection.Load(ObjectReaderTests.Spec("elf_old_loaders.o"), system);
        using BpfMap inner = BpfMap.Create(system, BpfMapType.Array, 4, 8, 2);
        byte[] fd = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(fd, inner.Fd);
        c.Maps["tables"].Update(BitConverter.GetBytes(1u), fd);
        Assert.Equal(0u, c.Programs["count_in_table"].TestRun(Packet).Retval);
        c.Programs["count_in_table"].TestRun(Packet);
        var value = new byte[8];
        Assert.True(inner.TryLookup(BitConverter.GetBytes(0u), value));
        Assert.Equal(100ul, BinaryPrimitives.ReadUInt64LittleEndian(value)); // skb->len of two 64-byte packets: 50 after eth_type_trans
        using BpfMap wrongShape = BpfMap.Create(system, BpfMapType.Array, 4, 4, 2);
        BinaryPrimitives.WriteInt32LittleEndian(fd, wrongShape.Fd);
        Assert.Equal(Errno.EINVAL, Assert.Throws<BpfException>(() => c.Maps["tables"].Update(BitConverter.GetBytes(2u), fd)).Errno);
    }

    [Fact]
    public void Iproute2_map_definitions_name_the_inner_map_by_id_and_static_programs_load()
    {
        CollectionSpec spec = ObjectReaderTests.Spec("elf_tc_loader.o");
        MapSpec perPort = spec.Maps["per_port"];
        Assert.Equal((BpfMapType.HashOfMaps, 2u, 4u, 8u), Shape(perPort));
        Assert.Equal((BpfMapType.Array, 4u, 4u, 1u), Shape(perPort.InnerMap!)); // port_template, id 42
        Assert.Equal(MapPinning.None, perPort.Pinning); // iproute2's PIN_GLOBAL_NS is not libbpf's pinning
        Assert.Equal(BpfProgType.SchedCls, spec.Programs["static_tail"].Type);
        using var system = new BpfSystem();
        using Collection c = Collection.Load(spec, system);
        Assert.Equal(0u, c.Programs["by_port"].TestRun(Packet).Retval);     // TC_ACT_OK: no table for port 80
        Assert.Equal(0u, c.Programs["static_tail"].TestRun(Packet).Retval); // 64 bytes: TC_ACT_OK
        Assert.Equal(2u, c.Programs["static_tail"].TestRun(new byte[128]).Retval); // TC_ACT_SHOT
    }

    [Fact]
    public void Without_program_sections_the_global_text_functions_are_programs_chosen_by_name()
    {
        CollectionSpec spec = ObjectReaderTests.Spec("conformance_main.o"); // everything in .text, as PREVAIL's samples
        ProgramSpec main = spec.Programs["main_prog"];
        Assert.Equal((".text", false, BpfProgType.Unspec), (main.SectionName, main.Autoload, main.Type));
        using var system = new BpfSystem();
        using (Collection nothing = Collection.Load(spec, system))
            Assert.Empty(nothing.Programs); // as libbpf: nothing to load by default
        main.Type = BpfProgType.SocketFilter; // chosen and typed: verified (a socket filter gets only r1: it reads r2)
        BpfException e = Assert.Throws<BpfException>(() => Collection.Load(spec, system, new CollectionOptions { Programs = ["main_prog"] }));
        Assert.Equal(Errno.EACCES, e.Errno);
        Assert.Contains("R2 !read_ok", e.Message);
        // Where program sections exist, a global .text function stays a subprogram, as in libbpf.
        Assert.Equal(["use_global"], ObjectReaderTests.Spec("elf_global_func.o").Programs.Keys);
    }

    [Fact]
    public void A_section_no_convention_names_loads_once_its_type_is_set()
    {
        byte[] image = TestPrograms.Read("elf_tc_loader.o");
        byte[] from = "classifier_ingress"u8.ToArray(), to = "from-container-xyz"u8.ToArray();
        int renamed = 0;
        for (int at; (at = image.AsSpan().IndexOf(from)) >= 0; renamed++)
            to.CopyTo(image, at); // the section's name, and BTF.ext's references to it
        Assert.True(renamed >= 1);
        CollectionSpec spec = CollectionSpec.Load(image);
        Assert.Equal(BpfProgType.Unspec, spec.Programs["by_port"].Type);
        using var system = new BpfSystem();
        BpfException e = Assert.Throws<BpfException>(() => Collection.Load(spec, system));
        Assert.Equal(Errno.EINVAL, e.Errno);
        Assert.Contains("missing BPF prog type, check ELF section name 'from-container-xyz'", e.Message);
        spec.Programs["by_port"].Type = BpfProgType.SchedCls; // what `bpfsharp verify --type tc` does
        using Collection c = Collection.Load(spec, system);
        Assert.Equal(0u, c.Programs["by_port"].TestRun(Packet).Retval);
    }

    [Fact]
    public void Record_typed_ring_buffers_and_perf_event_arrays_have_the_kernels_value_sizes()
    {
        CollectionSpec spec = ObjectReaderTests.Spec("elf_typed_events.o");
        Assert.Equal((BpfMapType.Ringbuf, 0u, 0u, 4096u), Shape(spec.Maps["records"]));
        Assert.Equal(0u, spec.Maps["records"].BtfValueTypeId);
        Assert.Equal((BpfMapType.PerfEventArray, 0u, 4u, 0u), Shape(spec.Maps["samples"]));
        Assert.Equal((MapPinning)16, spec.Maps["replaced"].Pinning);

        using var system = new BpfSystem();
        BpfException e = Assert.Throws<BpfException>(() => Collection.Load(spec, system));
        Assert.Equal(Errno.EOPNOTSUPP, e.Errno);
        Assert.Contains("pinning 16", e.Message);
        spec.Maps["replaced"].Pinning = MapPinning.None;
        using Collection c = Collection.Load(spec, system);
        BpfMap samples = c.Maps["samples"];
        Assert.Equal((4u, 4u, (uint)system.PossibleCpus), (samples.KeySize, samples.ValueSize, samples.MaxEntries));
        Assert.Equal(0u, c.Programs["report"].TestRun(Packet).Retval);
    }

    [Fact]
    public void Programs_without_function_symbols_are_whole_sections_as_libbpf_0x_read_them()
    {
        byte[] modern = TestPrograms.Read("elf_old_loaders.o");
        CollectionSpec expected = CollectionSpec.Load(modern);

        byte[] old = OldLlvm(modern, keepNames: true);
        CollectionSpec spec = CollectionSpec.Load(old);
        foreach (string name in new[] { "count_in_table", "count_frames" })
        {
            Assert.Equal(expected.Programs[name].Instructions, spec.Programs[name].Instructions);
            Assert.Equal(expected.Programs[name].Type, spec.Programs[name].Type);
        }

        // No global symbol at all: the program takes the section's name.
        CollectionSpec anonymous = CollectionSpec.Load(OldLlvm(modern, keepNames: false));
        Assert.Equal(expected.Programs["count_frames"].Instructions, anonymous.Programs["xdp_legacy"].Instructions);
        Assert.Equal(BpfProgType.Xdp, anonymous.Programs["xdp_legacy"].Type);
    }

    [Fact]
    public void Rela_relocations_of_type_none_and_section_named_programs_load_as_old_loaders_did()
    {
        byte[] modern = TestPrograms.Read("elf_old_loaders.o");
        CollectionSpec expected = CollectionSpec.Load(modern);
        byte[] old = WithRelaRelocations(OldLlvm(modern, keepNames: false));
        CollectionSpec spec = CollectionSpec.Load(old);
        Assert.Equal(expected.Programs["count_frames"].Instructions, spec.Programs["xdp_legacy"].Instructions);
        Assert.Equal(expected.Programs["count_in_table"].MapReferences, spec.Programs["socket1"].MapReferences);

        // A section-named program whose name the kernel would refuse ('-') gets a name it accepts.
        byte[] from = "xdp_legacy"u8.ToArray(), to = "xdp-legacy"u8.ToArray();
        for (int at; (at = old.AsSpan().IndexOf(from)) >= 0;)
            to.CopyTo(old, at);
        CollectionSpec dashed = CollectionSpec.Load(old);
        using var system = new BpfSystem();
        using Collection c = Collection.Load(dashed, system);
        Assert.Equal(2u, c.Programs["xdp-legacy"].TestRun(Packet).Retval); // XDP_PASS
        Assert.Equal("xdp_legacy", c.Programs["xdp-legacy"].Name);
    }

    [Fact]
    public void Map_values_relocated_with_the_older_64_bit_type_fill_the_same_slots()
    {
        byte[] image = TestPrograms.Read("elf_map_in_map.o");
        ElfFile elf = ElfFile.Read(image);
        ElfSection relMaps = elf.Sections.Single(s => s.Type == ElfRelocation.SHT_REL && elf.Sections[(int)s.Info].Name == ".maps");
        for (ulong at = relMaps.FileOffset; at < relMaps.FileOffset + relMaps.Size; at += ElfRelocation.Size)
            BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan((int)at + 8), ElfRelocation.R_BPF_64_64); // LLVM before 14
        Assert.Equal([new MapSlot(1, "inner")], CollectionSpec.Load(image).Maps["outer"].Slots);
    }

    // Every SHT_REL section rewritten as SHT_RELA (appended to the image; each addend what the REL entry kept in
    // place), lddw relocations with type R_BPF_NONE, and junk in the relocated lddw immediates, which the addend 0
    // replaces.
    private static byte[] WithRelaRelocations(byte[] image)
    {
        ElfFile elf = ElfFile.Read(image);
        var grown = new List<byte>(image);
        var result = (byte[])image.Clone();
        ulong shoff = BinaryPrimitives.ReadUInt64LittleEndian(image.AsSpan(40));
        foreach (ElfSection s in elf.Sections.Where(s => s.Type == ElfRelocation.SHT_REL))
        {
            ElfSection target = elf.Sections[(int)s.Info];
            ulong newOffset = (ulong)grown.Count;
            foreach (ElfRelocation r in elf.Relocations(s))
            {
                bool lddw = target.IsExecutable && result[target.FileOffset + r.Offset] == 0x18;
                var entry = new byte[24];
                BinaryPrimitives.WriteUInt64LittleEndian(entry, r.Offset);
                BinaryPrimitives.WriteUInt64LittleEndian(entry.AsSpan(8), (ulong)r.Symbol << 32 | (lddw ? ElfRelocation.R_BPF_NONE : r.Type));
                if (!lddw && r.Type is ElfRelocation.R_BPF_64_ABS32 or ElfRelocation.R_BPF_64_NODYLD32) // REL kept the addend in place
                    BinaryPrimitives.WriteInt64LittleEndian(entry.AsSpan(16), BinaryPrimitives.ReadInt32LittleEndian(image.AsSpan((int)(target.FileOffset + r.Offset))));
                else if (!lddw && r.Type == ElfRelocation.R_BPF_64_ABS64)
                    BinaryPrimitives.WriteInt64LittleEndian(entry.AsSpan(16), BinaryPrimitives.ReadInt64LittleEndian(image.AsSpan((int)(target.FileOffset + r.Offset))));
                grown.AddRange(entry);
                if (lddw)
                    BinaryPrimitives.WriteInt32LittleEndian(result.AsSpan((int)(target.FileOffset + r.Offset + 4)), 0x1234);
            }
            int header = (int)shoff + s.Index * 64;
            BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(header + 4), ElfRelocation.SHT_RELA);
            BinaryPrimitives.WriteUInt64LittleEndian(result.AsSpan(header + 24), newOffset);
            BinaryPrimitives.WriteUInt64LittleEndian(result.AsSpan(header + 32), (ulong)(grown.Count - (int)newOffset));
            BinaryPrimitives.WriteUInt64LittleEndian(result.AsSpan(header + 56), 24);
        }
        return [.. result, .. grown.Skip(image.Length)];
    }

    // The object as LLVM before 2017 wrote it: e_machine EM_NONE and functions as NOTYPE symbols (local ones too
    // when keepNames is false).
    private static byte[] OldLlvm(byte[] image, bool keepNames)
    {
        byte[] old = (byte[])image.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(old.AsSpan(18), 0);
        ElfFile elf = ElfFile.Read(image);
        ElfSection symtab = elf.Sections.First(s => s.Type == ElfFile.SHT_SYMTAB);
        for (ulong at = symtab.FileOffset; at < symtab.FileOffset + symtab.Size; at += 24)
        {
            byte info = old[at + 4];
            if ((info & 0xf) != ElfFile.STT_FUNC) continue;
            int bind = keepNames ? info >> 4 : 0;
            old[at + 4] = (byte)(bind << 4); // STT_NOTYPE
        }
        return old;
    }

    private static (BpfMapType, uint, uint, uint) Shape(MapSpec m) => (m.Type, m.KeySize, m.ValueSize, m.MaxEntries);
}
