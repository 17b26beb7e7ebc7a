using BpfSharp.Isa;
using BpfSharp.Memory;
using BpfSharp.Runtime;

namespace BpfSharp.Tests.Runtime.Engines;

/// <summary>What a test run gets: caller memory (r1 = its address, r2 = its length), packet, helpers, mode.</summary>
public sealed record RunSetup
{
    public byte[]? Memory { get; init; }
    public bool MemoryWritable { get; init; } = true;
    public byte[]? Packet { get; init; }
    public bool Checked { get; init; } = true;
    public HelperRegistry? Helpers { get; init; }
    public long Budget { get; init; } = 1_000_000;
    /// <summary>Last-minute changes to the run context (extra regions, registers).</summary>
    public Action<RunContext>? Configure { get; init; }
}

/// <summary>r0 and the caller memory after the run.</summary>
public sealed record RunResult(ulong R0, byte[] Memory);

/// <summary>Runs one program on one engine with native caller memory, the way every semantics table does.</summary>
public static class ProgramRunner
{
    public static RunResult Run(string engine, Instruction[] program, RunSetup? setup = null) =>
        Run(EngineMatrix.Get(engine), program, setup ?? new RunSetup());

    public static RunResult Run(string engine, string mode, Instruction[] program, RunSetup? setup = null) =>
        Run(EngineMatrix.Get(engine), program, (setup ?? new RunSetup()) with { Checked = mode == EngineMatrix.Checked });

    public static RunResult Run(IEngine engine, Instruction[] program, RunSetup setup)
    {
        var run = engine.Load(program, new EngineOptions(setup.Checked, setup.Helpers, setup.Budget));
        using var memory = new NativeBuffer(setup.Memory ?? []);
        using var packet = setup.Packet is null ? null : new NativeBuffer(setup.Packet);
        var context = new RunContext
        {
            R1 = (ulong)memory.Pointer,
            R2 = (ulong)memory.Length,
            Packet = packet?.ToRegion(writable: false, "packet"),
        };
        context.AddRegion(memory.ToRegion(setup.MemoryWritable, "mem"));
        setup.Configure?.Invoke(context);
        ulong r0 = run(context);
        return new RunResult(r0, memory.Span.ToArray());
    }

    /// <summary>Parses "11 22 33" / "112233" hex into bytes.</summary>
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", ""));
}
