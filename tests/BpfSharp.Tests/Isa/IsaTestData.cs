using BpfSharp.Isa;

namespace BpfSharp.Tests.Isa;

/// <summary>Reads the data files under Isa/Data (copied next to the test assembly).</summary>
internal static class IsaTestData
{
    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "Isa", "Data", file);

    public static string ReadText(string file) => File.ReadAllText(PathOf(file));

    /// <summary>The "hex bytes | text" lines of a data file; '#' starts a comment line.</summary>
    public static IEnumerable<(string Hex, string Text)> BytesAndText(string file)
    {
        foreach (string line in File.ReadLines(PathOf(file)))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            int bar = line.IndexOf(" | ", StringComparison.Ordinal);
            yield return (line[..bar].Trim(), line[(bar + 3)..]);
        }
    }

    /// <summary>The instruction lines of an llvm-objdump listing: "  12:\tbytes\ttext".</summary>
    public static IEnumerable<(string Hex, string Text)> ObjdumpInstructions(string file)
    {
        foreach (string line in File.ReadLines(PathOf(file)))
        {
            string[] parts = line.Split('\t');
            if (parts.Length == 3 && parts[0].TrimEnd().EndsWith(':') && int.TryParse(parts[0].Trim().TrimEnd(':'), out _))
                yield return (parts[1].Trim(), parts[2]);
        }
    }

    public static Instruction[] Slots(string hex)
    {
        byte[] bytes = Convert.FromHexString(hex.Replace(" ", ""));
        var slots = new Instruction[bytes.Length / Instruction.Size];
        for (int i = 0; i < slots.Length; i++)
            slots[i] = Instruction.Read(bytes.AsSpan(i * Instruction.Size));
        return slots;
    }

    public static string Hex(ReadOnlySpan<Instruction> program) =>
        string.Join(' ', Instruction.ToBytes(program).Select(b => b.ToString("x2")));
}
