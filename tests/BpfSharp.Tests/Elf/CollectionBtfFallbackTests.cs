using BpfSharp.Elf;
using BpfSharp.Elf.Btf;
using BpfSharp.Tests.Kernel;
using BpfSharp.Tests.Syscall;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Elf;

/// <summary>
/// libbpf's "BTF is optional" (bpf_object__sanitize_and_load_btf): an object whose BTF the kernel refuses
/// (loader_btf_optional.c: a FUNC whose FUNC_PROTO names no argument) is read, and loads without its BTF; one that
/// needs it (loader_btf_mandatory.c: a .struct_ops section, libbpf's kernel_needs_btf) does not load.
/// </summary>
public class CollectionBtfFallbackTests
{
    private const string Optional = "loader_btf_optional.o";
    private const string Mandatory = "loader_btf_mandatory.o";
    private static readonly byte[] Packet = new byte[64];

    // Our BTF verifier's verdict on the object's BTF, as BPF_BTF_LOAD gives it.
    private static string Refusal(CollectionSpec spec)
    {
        Assert.Null(BtfBlob.TryParse(spec.Btf!.Data, out int errno, out string? error));
        Assert.Equal(Errno.EINVAL, errno);
        return error!;
    }

    [Fact]
    public void The_reader_takes_btf_the_kernel_refuses_as_libbpf_parses_it()
    {
        CollectionSpec spec = ObjectReaderTests.Spec(Optional);
        Assert.EndsWith(": Invalid arg#1", Refusal(spec));
        Assert.StartsWith("[", Refusal(spec));
        Assert.Contains("FUNC scaled", Refusal(spec));
        Assert.False(spec.NeedsKernelBtf);
        Assert.True(ObjectReaderTests.Spec(Mandatory).NeedsKernelBtf);
        Assert.NotEmpty(spec.Programs["btf_optional"].FuncInfo); // kept in the spec; left out at load
    }

    [SkippableFact]
    public void The_kernel_refuses_the_objects_btf_as_we_do()
    {
        Skip.IfNot(KernelBpf.IsAvailable, "bpf() is not available to this process");
        CollectionSpec spec = ObjectReaderTests.Spec(Optional);
        int fd = KernelBtfOracle.BtfLoad(spec.Btf!.Data.ToArray(), out string log);
        if (fd >= 0) KernelBpf.Close(fd);
        Assert.Equal(-Errno.EINVAL, fd);
        // the same type and fault (the kernel separates them with a space, our BTF verifier with ": ")
        string kernel = KernelBtfOracle.LastLine(log), ours = Refusal(spec);
        Assert.EndsWith("Invalid arg#1", kernel);
        Assert.Equal(kernel[..kernel.IndexOf(" Invalid", StringComparison.Ordinal)], ours[..ours.IndexOf(": Invalid", StringComparison.Ordinal)]);
    }

    [Fact]
    public void An_object_with_optional_btf_loads_without_it_and_runs()
    {
        using var ours = new OurTarget(new BpfSystemOptions());
        CollectionSpec spec = ObjectReaderTests.Spec(Optional);
        using Collection c = Collection.Load(spec, ours.System);
        Assert.Null(c.Btf);
        Assert.Equal([$"Error loading .BTF into kernel: EINVAL. BTF is optional, ignoring. ({Refusal(spec)})"], c.Notes);
        uint retval = c.Programs["btf_optional"].TestRun(Packet).Retval;
        var total = new byte[8];
        Assert.True(c.Maps["lengths"].TryLookup(new byte[4], total));
        Assert.NotEqual(0ul, BitConverter.ToUInt64(total));
        Assert.Equal(2 * BitConverter.ToUInt64(total), retval); // scaled(0, skb->len), and skb->len added to the map
        // the map without key and value types, the program without func_info
        Assert.Equal(0, ours.MapInfo(c.Maps["lengths"].Fd, out var map));
        Assert.Equal((0u, 0u, 0u), (map.BtfId, map.BtfKeyTypeId, map.BtfValueTypeId));
        Assert.Equal(0, ours.ProgInfo(c.Programs["btf_optional"].Fd, out var prog));
        Assert.Equal((0u, 0u), (prog.BtfId, prog.NrFuncInfo));
    }

    [SkippableFact]
    public void The_kernel_loads_and_runs_the_program_without_btf_as_we_do()
    {
        Skip.IfNot(KernelBpf.IsAvailable, "bpf() is not available to this process");
        CollectionSpec spec = ObjectReaderTests.Spec(Optional);
        ProgramSpec p = spec.Programs["btf_optional"];
        int map = KernelBpf.MapCreate((uint)BpfMapType.Array, 4, 8, 1);
        Assert.True(map >= 0, $"map: {map}");
        try
        {
            int fd = KernelBpf.ProgLoad((uint)p.Type, p.WithMapFds(_ => map), out string log);
            Assert.True(fd >= 0, $"the kernel refused the program without BTF: {fd}\n{log}");
            TestRunResult run = KernelBpf.ProgTestRun(fd, Packet);
            KernelBpf.Close(fd);
            using var system = new BpfSystem();
            using Collection c = Collection.Load(spec, system);
            Assert.Equal(run.Retval, c.Programs["btf_optional"].TestRun(Packet).Retval);
        }
        finally
        {
            KernelBpf.Close(map);
        }
    }

    [Fact]
    public void An_object_that_needs_its_btf_is_refused_with_the_btf_error()
    {
        using var system = new BpfSystem();
        CollectionSpec spec = ObjectReaderTests.Spec(Mandatory);
        BpfException e = Assert.Throws<BpfException>(() => Collection.Load(spec, system));
        Assert.Equal(Errno.EINVAL, e.Errno);
        Assert.Equal("BPF_BTF_LOAD", e.Operation);
        Assert.Contains("Error loading .BTF into kernel: EINVAL. BTF is mandatory, can't proceed.", e.Message);
        Assert.Contains(Refusal(spec), e.Message);
    }
}
