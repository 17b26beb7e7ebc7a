using BpfSharp.Elf;
using BpfSharp.Tests.Kernel;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Elf;

/// <summary>
/// Every program of every object in tests/programs, as our loader links it, loaded into the live kernel (maps
/// created there from our specs) and into a BpfSystem: the same verdict, and for the types the kernel can test-run,
/// the same retval and packet out on an IPv4/UDP packet.
/// </summary>
public class ElfKernelTests
{
    public static TheoryData<string> Objects()
    {
        var data = new TheoryData<string>();
        foreach (string path in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "programs"), "elf_*.o").Order())
            if (!path.EndsWith(RejectedObject, StringComparison.Ordinal)) data.Add(Path.GetFileName(path));
        return data;
    }

    // Ethernet (IPv4) + IPv4 (protocol UDP) + UDP + payload: 64 bytes.
    private static readonly byte[] Packet = Convert.FromHexString(
        "0000000000020000000000010800" + "4500003200004000401100007f0000017f000001" + "303930390018000068656c6c6f20776f726c64"
        + "000000000000000000000000");

    // The object written to be rejected (see The_kernels_log_of_a_rejected_program_with_source_lines_is_ours).
    private const string RejectedObject = "elf_bad_bounds.o";

    [SkippableFact]
    public void The_kernels_log_of_a_rejected_program_with_source_lines_is_ours()
    {
        Skip.IfNot(KernelBpf.IsAvailable, "bpf() is not available to this process");
        CollectionSpec spec = CollectionSpec.Load(TestPrograms.PathOf(RejectedObject));
        using var kernel = new KernelObject(spec);
        int fd = kernel.Load(spec.Programs["short_check"], out string kernelLog);
        Assert.Equal(-Errno.EACCES, fd);
        Assert.Contains(" @ elf_bad_bounds.c:", kernelLog);
        using var system = new BpfSystem();
        BpfException e = Assert.Throws<BpfException>(() => Collection.Load(spec, system));
        Assert.Equal(Errno.EACCES, e.Errno);
        Assert.Equal(kernelLog.TrimEnd('\n'), e.Detail);
    }

    private static bool TestRunnable(BpfProgType type) =>
        type is BpfProgType.Xdp or BpfProgType.SocketFilter or BpfProgType.SchedCls or BpfProgType.SchedAct or BpfProgType.CgroupSkb;

    [SkippableTheory]
    [MemberData(nameof(Objects))]
    public void Kernel_and_ours_agree_on_every_program(string obj)
    {
        Skip.IfNot(KernelBpf.IsAvailable, "bpf() is not available to this process");
        CollectionSpec spec = CollectionSpec.Load(TestPrograms.PathOf(obj));
        foreach (MapSpec m in spec.Maps.Values)
            if (m.Pinning is not (MapPinning.None or MapPinning.ByName)) m.Pinning = MapPinning.None; // a loader's own convention
        using var kernel = new KernelObject(spec);
        var kernelFds = new Dictionary<string, int>();
        foreach (ProgramSpec p in spec.Programs.Values)
        {
            int fd = kernel.Load(p, out string log);
            Assert.True(fd >= 0, $"{obj} {p.Name}: the kernel rejects it ({Errno.Name(-fd)}):\n{log}");
            kernelFds[p.Name] = fd;
        }
        kernel.FillProgramSlots(spec);

        using var system = new BpfSystem();
        using Collection ours = Collection.Load(spec, system, new CollectionOptions { Programs = [.. spec.Programs.Keys], CoreTarget = spec.Btf });
        foreach (ProgramSpec p in spec.Programs.Values)
        {
            if (!TestRunnable(p.Type)) continue;
            for (int run = 0; run < 2; run++) // twice: programs that keep state must keep it alike
            {
                TestRunResult k = KernelBpf.ProgTestRun(kernelFds[p.Name], Packet);
                Assert.Equal(0, k.Error);
                var dataOut = new byte[Packet.Length + 512];
                BpfProgramRunResult o = ours.Programs[p.Name].TestRun(Packet, dataOut);
                Assert.True(k.Retval == o.Retval, $"{obj} {p.Name} run {run}: kernel retval {k.Retval}, ours {o.Retval}");
                Assert.Equal(Convert.ToHexString(k.DataOut), Convert.ToHexString(dataOut.AsSpan(0, o.DataSize)));
            }
        }
    }
}
