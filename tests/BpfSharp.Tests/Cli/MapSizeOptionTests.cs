namespace BpfSharp.Tests.Cli;

/// <summary>
/// <c>verify</c> and <c>prog load</c> on an object that leaves map sizes to its loader (loader_unsized_maps.c):
/// stand-ins with a note for <c>verify</c>, <c>--max-entries</c> / <c>--value-size</c> as the loader sets them, and
/// an error that says what to set for <c>prog load</c>; and on an object whose BTF the kernel refuses.
/// </summary>
public class MapSizeOptionTests
{
    private static readonly string Unsized = TestPrograms.PathOf("loader_unsized_maps.o");

    [Fact]
    public void Verify_gives_unsized_maps_a_stand_in_and_notes_each()
    {
        var r = CliTestHost.Run("", "verify", Unsized);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("count_stacks (kprobe/do_nanosleep): accepted", r.Out);
        Assert.Contains("note: map 'counts': max_entries is 0 (left to the object's loader); created with the stand-in max_entries 1", r.Error);
        Assert.Contains("note: map 'stackmap': max_entries is 0", r.Error);
        Assert.Contains("note: map 'stackmap': value_size is 0 (left to the object's loader); created with the stand-in value_size 1016", r.Error);
    }

    [Fact]
    public void Verify_takes_the_sizes_the_loader_would_set()
    {
        var r = CliTestHost.Run("", "verify", Unsized, "--max-entries", "counts=10240", "--max-entries", "stackmap=1024",
            "--value-size", "stackmap=1016");
        Assert.Equal(0, r.ExitCode);
        Assert.DoesNotContain("note:", r.Error);
    }

    [Fact]
    public void Prog_load_without_sizes_names_the_maps_to_size()
    {
        var r = CliTestHost.Run("", "prog", "load", Unsized);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("map 'stackmap' (stackmap: StackTrace key 4 value 0 max 0): max_entries is 0;", r.Out); // the first declared
        Assert.Contains("map 'counts' has max_entries 0: the object's loader sets it at run time; give it with --max-entries counts=N", r.Error);
        Assert.Contains("map 'stackmap' has max_entries 0: the object's loader sets it at run time; give it with --max-entries stackmap=N", r.Error);
        Assert.Contains("map 'stackmap' has value_size 0: the object's loader sets it at run time; give it with --value-size stackmap=N", r.Error);

        var sized = CliTestHost.Run("", "prog", "load", Unsized, "--max-entries", "counts=100", "--max-entries", "stackmap=64");
        Assert.Equal(1, sized.ExitCode);
        Assert.Contains("value_size is 0;", sized.Out);
        Assert.Contains("give it with --value-size stackmap=N", sized.Error);
        Assert.DoesNotContain("--max-entries", sized.Error);
    }

    [Fact]
    public void Prog_load_with_sizes_creates_the_maps_so()
    {
        var r = CliTestHost.Run("", "prog", "load", Unsized, "--max-entries", "counts=100", "--max-entries", "stackmap=64",
            "--value-size", "stackmap=160");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("map counts: Hash, key 4, value 8, max_entries 100", r.Out);
        Assert.Contains("map stackmap: StackTrace, key 4, value 160, max_entries 64", r.Out);
    }

    [Theory]
    [InlineData("counts", "takes NAME=N")]
    [InlineData("counts=", "takes NAME=N")]
    [InlineData("=5", "takes NAME=N")]
    [InlineData("counts=-1", "takes NAME=N")]
    [InlineData("nothere=5", "has no map 'nothere' (maps: stackmap, counts)")]
    public void Bad_sizes_are_usage_errors(string value, string message)
    {
        foreach (string[] command in new[] { new[] { "verify" }, new[] { "prog", "load" } })
        {
            var r = CliTestHost.Run("", [.. command, Unsized, "--max-entries", value]);
            Assert.Equal(2, r.ExitCode);
            Assert.Contains(message, r.Error);
        }
    }

    [Fact]
    public void An_object_whose_btf_the_kernel_refuses_verifies_without_it_with_a_note()
    {
        var r = CliTestHost.Run("", "verify", TestPrograms.PathOf("loader_btf_optional.o"));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("btf_optional (socket): accepted", r.Out);
        Assert.Contains("note: Error loading .BTF into kernel: EINVAL. BTF is optional, ignoring. ([", r.Error);

        var mandatory = CliTestHost.Run("", "verify", TestPrograms.PathOf("loader_btf_mandatory.o"));
        Assert.Equal(1, mandatory.ExitCode);
        Assert.Contains("BTF is mandatory, can't proceed.", mandatory.Out);
    }
}
