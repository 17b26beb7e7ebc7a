using BpfSharp.Elf;
using BpfSharp.Isa;

namespace BpfSharp.Tests.Elf;

/// <summary>The ELF64 reader on a clang-built object and on malformed images.</summary>
public class ElfFileTests
{
    [Fact]
    public void ReadsSectionsAndSymbolsOfAClangObject()
    {
        var elf = ElfFile.Read(TestPrograms.Read("conformance_main.o"));
        Assert.Equal(ElfFile.EM_BPF, elf.Machine);
        var text = Assert.Single(elf.Sections, s => s.Name == ".text");
        Assert.True(text.IsExecutable);
        Assert.Equal(0ul, text.Size % 8);
        var main = Assert.Single(elf.Symbols, s => s.Name == "main_prog");
        Assert.Equal(ElfFile.STT_FUNC, main.Type);
        Assert.Equal(text.Index, main.SectionIndex);
        // main_prog begins with `r6 = r2` (bf 26 ...): the first slot of .text.
        Assert.Equal(0xbf, elf.Data(text)[0]);
        Assert.Equal(0x26, elf.Data(text)[1]);
    }

    public static TheoryData<string, Func<byte[], byte[]>> Corruptions => new()
    {
        { "bad magic", b => { b[1] = (byte)'X'; return b; } },
        { "ELFCLASS32", b => { b[4] = 1; return b; } },
        { "big endian", b => { b[5] = 2; return b; } },
        { "truncated to the header", b => b[..40] },
        { "section table past the end", b => { BitConverter.GetBytes((ulong)b.Length).CopyTo(b, 40); return b; } },
        { "name table index out of range", b => { BitConverter.GetBytes((ushort)999).CopyTo(b, 62); return b; } },
        { "truncated file", b => b[..(b.Length / 2)] },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void MalformedImagesRaiseFormatErrors(string name, Func<byte[], byte[]> corrupt)
    {
        byte[] image = corrupt(TestPrograms.Read("conformance_main.o"));
        var e = Assert.Throws<BpfFormatException>(() => ElfFile.Read(image));
        Assert.StartsWith("ELF: ", e.Message);
        Assert.False(string.IsNullOrEmpty(name));
    }
}
