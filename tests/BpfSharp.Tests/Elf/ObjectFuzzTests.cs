using BpfSharp.Elf;
using BpfSharp.Isa;

namespace BpfSharp.Tests.Elf;

/// <summary>
/// Mutated objects (bytes flipped, runs overwritten, files cut short) never make the loader throw anything but
/// <see cref="BpfFormatException"/>: no index errors, no overflow, no hang. CI runs a small budget;
/// BPFSHARP_ELF_FUZZ=N runs N mutations per object.
/// </summary>
public class ObjectFuzzTests
{
    private static int Budget => int.TryParse(Environment.GetEnvironmentVariable("BPFSHARP_ELF_FUZZ"), out int n) ? n : 300;

    public static TheoryData<string> Objects()
    {
        var data = new TheoryData<string>();
        foreach (string path in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "programs"), "*.o").Order())
            data.Add(Path.GetFileName(path));
        return data;
    }

    [Theory]
    [MemberData(nameof(Objects))]
    public void Mutated_objects_load_or_fail_with_a_format_error(string obj)
    {
        byte[] original = TestPrograms.Read(obj);
        var random = new Random(StableSeed(obj)); // the same mutations on every run, so a failure repeats
        for (int i = 0; i < Budget; i++)
        {
            byte[] image = Mutate(original, random);
            try
            {
                CollectionSpec.Load(image, "fuzz");
            }
            catch (BpfFormatException)
            {
            }
            catch (Exception e)
            {
                string file = Path.Combine(Path.GetTempPath(), $"bpfsharp-fuzz-{obj}-{i}.o");
                File.WriteAllBytes(file, image);
                Assert.Fail($"{obj} mutation {i} (saved to {file}): {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }
        }
    }

    // FNV-1a of the name: string.GetHashCode differs from process to process.
    private static int StableSeed(string name)
    {
        uint h = 2166136261;
        foreach (char c in name) h = (h ^ c) * 16777619;
        return (int)h;
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        switch (random.Next(4))
        {
            case 0: // cut short
                return original[..random.Next(original.Length)];
            case 1: // a few bytes flipped
            {
                byte[] image = (byte[])original.Clone();
                for (int k = random.Next(1, 8); k > 0; k--)
                    image[random.Next(image.Length)] ^= (byte)(1 << random.Next(8));
                return image;
            }
            case 2: // a 32-bit field set to an extreme value
            {
                byte[] image = (byte[])original.Clone();
                int at = random.Next(image.Length - 4) & ~3;
                uint v = random.Next(4) switch { 0 => 0, 1 => 0xffffffff, 2 => 0x7fffffff, _ => (uint)random.Next() };
                BitConverter.TryWriteBytes(image.AsSpan(at), v);
                return image;
            }
            default: // a run of random bytes
            {
                byte[] image = (byte[])original.Clone();
                int at = random.Next(image.Length);
                random.NextBytes(image.AsSpan(at, Math.Min(image.Length - at, random.Next(1, 64))));
                return image;
            }
        }
    }
}
