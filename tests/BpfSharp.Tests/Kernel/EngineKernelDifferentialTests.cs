using System.Runtime.InteropServices;
using BpfSharp.Memory;
using BpfSharp.Runtime;

namespace BpfSharp.Tests.Kernel;

/// <summary>
/// The differential table on our engines (interpreter and JIT, checked mode): each must give the RFC result, and,
/// where the kernel is available, exactly what the kernel computed for the same program.
/// </summary>
public class EngineKernelDifferentialTests
{
    public static TheoryData<string, string> Cases()
    {
        var rows = new TheoryData<string, string>();
        foreach (var engine in Runtime.Engines.EngineMatrix.All)
            foreach (string name in DifferentialCases.Names())
                rows.Add(engine.Name, name);
        return rows;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Engine_gives_the_rfc_result(string engine, string name)
    {
        var c = DifferentialCases.ByName[name];

        ulong r0 = RunInEngine(engine, c);

        Assert.Equal($"0x{c.Expected:x16}", $"0x{r0:x16}");
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Engine_agrees_with_the_kernel(string engine, string name)
    {
        Skip.IfNot(KernelBpf.IsAvailable, KernelDifferentialTests.NoKernel);
        var c = DifferentialCases.ByName[name];

        ulong kernel = KernelDifferentialTests.RunInKernel(c);
        ulong ours = RunInEngine(engine, c);

        Assert.Equal($"0x{kernel:x16}", $"0x{ours:x16}");
    }

    /// <summary>
    /// Runs the case's program (full 64-bit r0, no halving needed) with the packet the kernel's
    /// socket filter sees: the frame after its Ethernet header. r1 only goes to r6 for LD_ABS.
    /// </summary>
    internal static unsafe ulong RunInEngine(string engine, DifferentialCase c)
    {
        byte[] data = TestPacket.SkbData();
        byte* packet = (byte*)NativeMemory.Alloc((nuint)data.Length);
        byte* ctx = (byte*)NativeMemory.AllocZeroed(64);
        try
        {
            data.CopyTo(new Span<byte>(packet, data.Length));
            IProgramEngine vm = Runtime.Engines.EngineMatrix.Get(engine).Build(c.Program(highHalf: false),
                new Runtime.Engines.EngineOptions(true, new HelperRegistry(), 10_000_000));
            var run = new RunContext
            {
                R1 = (ulong)ctx,
                Packet = new MemoryRegion((nint)packet, data.Length, writable: false, "packet"),
            };
            return vm.Run(run);
        }
        finally
        {
            NativeMemory.Free(packet);
            NativeMemory.Free(ctx);
        }
    }
}
