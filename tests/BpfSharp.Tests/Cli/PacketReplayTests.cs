using System.Buffers.Binary;
using BpfSharp.Cli.Pcap;
using BpfSharp.Elf;
using BpfSharp.Tests.Kernel;

namespace BpfSharp.Tests.Cli;

/// <summary>
/// <c>bpfsharp run count_protocols.o --pcap sample.pcap</c>, the README's demo: the verdicts and counters it
/// prints are checked against a count made here by reading the frames directly, and against the live kernel
/// running the same object on the same frames.
/// </summary>
public class PacketReplayTests
{
    private static List<byte[]> Frames()
    {
        using var r = new PcapReader(File.OpenRead(DemoFiles.Pcap));
        var frames = new List<byte[]>();
        while (r.TryRead(out ReadOnlySpan<byte> p, out _)) frames.Add(p.ToArray());
        return frames;
    }

    // What the program is written to do, computed without BPF: ICMP echo requests over IPv4 are dropped.
    private static bool IsPing(byte[] f) =>
        BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(12)) == 0x0800 && f[14 + 9] == 1 && f[14 + (f[14] & 0xf) * 4] == 8;

    [Fact]
    public void The_demo_prints_the_verdicts_and_counters_the_frames_call_for()
    {
        List<byte[]> frames = Frames();
        var r = CliTestHost.Run("", "run", DemoFiles.Object, "--pcap", DemoFiles.Pcap);
        Assert.Equal(0, r.ExitCode);
        int pings = frames.Count(IsPing);
        Assert.Contains($"{frames.Count} packets from sample.pcap", r.Out);
        Assert.Matches($@"XDP_DROP\s+{pings}\n", r.Out);
        Assert.Matches($@"XDP_PASS\s+{frames.Count - pings}\n", r.Out);
        foreach (var g in frames.GroupBy(f => BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(12))))
            Assert.Matches($@"\n  {g.Key}\s+{g.Count()}\n", r.Out);
        int tcp4 = frames.Count(f => BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(12)) == 0x0800 && f[14 + 9] == 6);
        int tcp6 = frames.Count(f => BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(12)) == 0x86DD && f[14 + 6] == 6);
        Assert.Matches($@"\n  6\s+{tcp4 + tcp6}\n", r.Out);
    }

    [SkippableFact]
    public void The_kernel_gives_each_frame_the_same_verdict()
    {
        Skip.IfNot(KernelBpf.IsAvailable, "bpf() is not available to this process");
        CollectionSpec spec = CollectionSpec.Load(DemoFiles.Object);
        using var kernel = new KernelObject(spec);
        int fd = kernel.Load(spec.Programs["count_protocols"], out string log);
        Assert.True(fd >= 0, log);
        using var system = new BpfSystem();
        using Collection ours = Collection.Load(spec, system);
        foreach (byte[] frame in Frames())
        {
            TestRunResult k = KernelBpf.ProgTestRun(fd, frame);
            Assert.Equal(0, k.Error);
            Assert.Equal(k.Retval, ours.Programs["count_protocols"].TestRun(frame).Retval);
        }
        foreach (uint etherType in new uint[] { 0x0800, 0x86DD, 0x0806 })
        {
            var kernelValue = new byte[8];
            var ourValue = new byte[8];
            Assert.Equal(0, KernelBpf.MapLookup(kernel.Maps["ether_types"], BitConverter.GetBytes(etherType), kernelValue));
            Assert.True(ours.Maps["ether_types"].TryLookup(BitConverter.GetBytes(etherType), ourValue));
            Assert.Equal(kernelValue, ourValue);
        }
    }
}
