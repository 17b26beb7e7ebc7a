using BpfSharp.Elf;
using BpfSharp.Isa;

namespace BpfSharp.Cli;

/// <summary>Finds the code of the one program in a self-contained BPF ELF object (the conformance suite's <c>--elf</c> input).</summary>
internal static class ElfEntry
{
    private const byte STB_GLOBAL = 1;

    /// <summary>
    /// The byte code from the entry function (the first global function symbol in an executable
    /// section, else the first function) to the end of its section, which holds its subprograms too.
    /// </summary>
    public static byte[] Code(byte[] image)
    {
        var elf = ElfFile.Read(image);
        if (elf.Machine != ElfFile.EM_BPF)
            throw new BpfFormatException($"ELF: machine {elf.Machine} is not EM_BPF ({ElfFile.EM_BPF})");
        return Entry(elf, globalOnly: true) ?? Entry(elf, globalOnly: false)
            ?? throw new BpfFormatException("ELF: no function symbol in an executable section");
    }

    private static byte[]? Entry(ElfFile elf, bool globalOnly)
    {
        foreach (var symbol in elf.Symbols)
        {
            if (symbol.Type != ElfFile.STT_FUNC || symbol.SectionIndex == 0 || symbol.SectionIndex >= elf.Sections.Count)
                continue;
            if (globalOnly && symbol.Binding != STB_GLOBAL)
                continue;
            var section = elf.Sections[symbol.SectionIndex];
            if (!section.IsExecutable || symbol.Value >= section.Size)
                continue;
            foreach (var other in elf.Sections)
            {
                if (other.Type == 9 /* SHT_REL */ && other.Info == section.Index && other.Size != 0)
                    throw new BpfFormatException($"ELF: section '{section.Name}' has relocations ({other.Name}); a plugin program must be self-contained", section: other.Name);
            }
            return elf.Data(section)[(int)symbol.Value..].ToArray();
        }
        return null;
    }
}
