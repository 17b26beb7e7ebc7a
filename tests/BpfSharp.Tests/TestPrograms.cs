namespace BpfSharp.Tests;

/// <summary>Locates the clang-built objects of tests/programs (copied next to the test assembly).</summary>
internal static class TestPrograms
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "programs", name);

    public static byte[] Read(string name) => File.ReadAllBytes(PathOf(name));
}
