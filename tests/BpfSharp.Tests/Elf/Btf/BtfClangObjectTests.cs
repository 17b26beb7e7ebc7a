using System.Buffers.Binary;
using BpfSharp.Elf;
using BpfSharp.Elf.Btf;
using BpfSharp.Tests.Kernel;
using static BpfSharp.Uapi.Errno;

namespace BpfSharp.Tests.Elf.Btf;

/// <summary>
/// The .BTF section clang-19 writes for tests/programs/btf_spin_lock.c. In an object file the DATASEC
/// sizes are still 0 (libbpf sets them from the ELF sections before BPF_BTF_LOAD), which the kernel
/// rejects; with the sizes filled in the blob describes the C source's types.
/// </summary>
public class BtfClangObjectTests
{
    private static readonly ElfFile Elf = ElfFile.Read(TestPrograms.Read("btf_spin_lock.o"));

    private static byte[] RawBtf() => Elf.Data(Elf.Sections.Single(s => s.Name == ".BTF")).ToArray();

    /// <summary>libbpf's DATASEC fix-up: each DATASEC gets the size of the ELF section of the same name.</summary>
    private static byte[] FixedBtf()
    {
        byte[] blob = RawBtf();
        foreach (var (offset, kind, nameOff) in Records(blob))
        {
            if (kind != BtfKind.Datasec) continue;
            string name = StringAt(blob, nameOff);
            var section = Elf.Sections.Single(s => s.Name == name);
            BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(offset + 8), (uint)section.Size);
        }
        return blob;
    }

    /// <summary>The byte offset, kind and name offset of every type record, walking the type section.</summary>
    private static IEnumerable<(int Offset, BtfKind Kind, uint NameOff)> Records(byte[] blob)
    {
        int hdrLen = BinaryPrimitives.ReadInt32LittleEndian(blob.AsSpan(4));
        int at = hdrLen + BinaryPrimitives.ReadInt32LittleEndian(blob.AsSpan(8));
        int end = at + BinaryPrimitives.ReadInt32LittleEndian(blob.AsSpan(12));
        var list = new List<(int, BtfKind, uint)>();
        while (at < end)
        {
            uint info = BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(at + 4));
            var kind = (BtfKind)((info >> 24) & 0x1f);
            int vlen = (int)(info & 0xffff);
            list.Add((at, kind, BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(at))));
            at += 12 + Math.Max(kind.ExtraSize(vlen), 0);
        }
        return list;
    }

    private static string StringAt(byte[] blob, uint offset)
    {
        int hdrLen = BinaryPrimitives.ReadInt32LittleEndian(blob.AsSpan(4));
        int start = hdrLen + BinaryPrimitives.ReadInt32LittleEndian(blob.AsSpan(16)) + (int)offset;
        int end = Array.IndexOf(blob, (byte)0, start);
        return System.Text.Encoding.ASCII.GetString(blob, start, end - start);
    }

    [Fact]
    public void TheObjectsDatasecsHaveNoSizeYet()
    {
        Assert.Null(BtfBlob.TryParse(RawBtf(), out int errno, out string? error));
        Assert.Equal(EINVAL, errno);
        Assert.Equal("[22] DATASEC .maps size=0 vlen=1: size == 0", error);
    }

    [Fact]
    public void DescribesTheValueStructWithItsSpinLock()
    {
        var btf = BtfBlob.Parse(FixedBtf());
        uint value = btf.FindByName("value", BtfKind.Struct) ?? throw new InvalidOperationException("no struct value");
        Assert.Equal(16u, btf.SizeOf(value));
        Assert.Equal(["a", "lock", "b"], btf.GetType(value).Members.Select(m => m.Name));
        Assert.Equal([0u, 32u, 64u], btf.GetType(value).Members.Select(m => m.BitOffset));
        Assert.Equal(4, btf.FindStructMember(value, "bpf_spin_lock"));

        uint lockType = btf.GetType(value).Member(1).Type;
        Assert.Equal("bpf_spin_lock", btf.NameOf(lockType));
        Assert.Equal(4u, btf.SizeOf(lockType));
        uint u32 = btf.GetType(lockType).Member(0).Type;
        Assert.Equal(BtfKind.Typedef, btf.GetType(u32).Kind);
        Assert.Equal("unsigned int", btf.NameOf(btf.SkipModifiers(u32)));
    }

    [Fact]
    public void DescribesTheMapDefinitionAndTheProgram()
    {
        var btf = BtfBlob.Parse(FixedBtf());
        uint values = btf.FindByName("values", BtfKind.Var) ?? throw new InvalidOperationException("no var values");
        Assert.Equal(BtfConstants.VarGlobalAllocated, btf.GetType(values).VarLinkage);
        Assert.Equal(32u, btf.SizeOf(values)); // four pointers
        var def = btf.GetType(btf.GetType(values).Type);
        Assert.Equal(["type", "max_entries", "key", "value"], def.Members.Select(m => m.Name));
        // __uint(max_entries, 16) is int (*max_entries)[16]: a pointer to an array of 16 ints.
        var maxEntries = btf.GetType(btf.GetType(def.Member(1).Type).Type);
        Assert.Equal(16u, maxEntries.Array.Nelems);
        Assert.Equal(64u, btf.SizeOf(maxEntries.Id));

        uint maps = btf.FindByName(".maps", BtfKind.Datasec) ?? throw new InvalidOperationException("no .maps");
        Assert.Equal(new BtfVarSecinfo(values, 0, 32), Assert.Single(btf.GetType(maps).SecInfos));

        uint bump = btf.FindByName("bump", BtfKind.Func) ?? throw new InvalidOperationException("no func bump");
        Assert.Equal(BtfConstants.FuncGlobal, btf.GetType(bump).Vlen);
        var proto = btf.GetType(btf.GetType(bump).Type);
        Assert.Equal(BtfKind.FuncProto, proto.Kind);
        Assert.Equal("int", btf.NameOf(proto.Type));
        var ctx = Assert.Single(proto.Params);
        Assert.Equal("ctx", ctx.Name);
        Assert.Equal(BtfKind.Ptr, btf.GetType(ctx.Type).Kind);
        Assert.Equal(0u, btf.GetType(ctx.Type).Type); // void *
    }

    [SkippableFact]
    public void KernelAgreesOnTheObjectsBtf()
    {
        Skip.IfNot(KernelBpf.IsAvailable, "bpf() is not available (needs Linux x86-64 and root)");
        int raw = KernelBtfOracle.BtfLoad(RawBtf(), out string log);
        Assert.Equal(-EINVAL, raw);
        Assert.EndsWith("size == 0", KernelBtfOracle.LastLine(log));
        int fd = KernelBtfOracle.BtfLoad(FixedBtf(), out log);
        Assert.True(fd >= 0, log);
        KernelBpf.Close(fd);
    }
}
