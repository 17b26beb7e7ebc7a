using System.Buffers.Binary;
using System.Text;
using BpfSharp.Isa;
using BpfSharp.Maps;
using BpfSharp.Memory;
using BpfSharp.Runtime;
using BpfSharp.Runtime.Helpers;
using BpfSharp.Tests.Runtime.Engines;

namespace BpfSharp.Tests.Runtime.Helpers;

/// <summary>
/// One "system" for helper tests: the standard helpers (plus <see cref="ExitWithId"/>), a manual clock, a
/// fixed task, a map registry, and native memory the program gets in r1 (length in r2), readable and writable.
/// </summary>
public sealed class HelperHarness : IDisposable
{
    /// <summary>A test helper that ends the program with r0 = its r1 (RequestExit).</summary>
    public const int ExitWithId = 1000;

    private readonly List<Map> _maps = [];
    private readonly EpochManager _epochs = new();

    public HelperHarness(int memorySize = 4096, int possibleCpus = 4, ulong? seed = 1)
    {
        Clock = new ManualClock();
        Env = new HelperEnvironment { Clock = Clock, RandomSeed = seed, Task = new BpfTask(100, 200, 1000, 2000, "helper-test") };
        Registry = StandardHelpers.Register(new HelperRegistry()
            .Register(ExitWithId, "test_exit_with", static (run, r1, r2, r3, r4, r5) => { run.RequestExit(r1); return 0; }), Env);
        MapContext = new MapContext(_epochs, possibleCpus);
        Memory = new NativeBuffer(memorySize);
        PossibleCpus = possibleCpus;
    }

    public HelperEnvironment Env { get; }
    public ManualClock Clock { get; }
    public HelperRegistry Registry { get; }
    public MapRegistry Maps { get; } = new();
    public MapContext MapContext { get; }
    public NativeBuffer Memory { get; }
    public int PossibleCpus { get; }

    public T Add<T>(T map) where T : Map
    {
        Maps.Add(map);
        _maps.Add(map);
        return map;
    }

    /// <summary>A map handle as the 32-bit halves lddw needs: use with Asm.LdImm64.</summary>
    public static long HandleOf(Map map) => (long)map.Handle;

    public ulong Address(int offset) => (ulong)Memory.Pointer + (ulong)offset;

    public RunContext NewContext()
    {
        var run = new RunContext { R1 = (ulong)Memory.Pointer, R2 = (ulong)Memory.Length, Maps = Maps, PossibleCpus = PossibleCpus };
        run.AddRegion(Memory.ToRegion(writable: true, "mem"));
        return run;
    }

    public Func<RunContext, ulong> Load(string engine, bool isChecked, Instruction[] program, long budget = 10_000_000) =>
        EngineMatrix.Get(engine).Load(program, new EngineOptions(isChecked, Registry, budget));

    public ulong Run(string engine, bool isChecked, Instruction[] program, long budget = 10_000_000) =>
        Load(engine, isChecked, program, budget)(NewContext());

    public ulong U64(int offset) => BinaryPrimitives.ReadUInt64LittleEndian(Memory.Span[offset..]);
    public void SetU64(int offset, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Memory.Span[offset..], value);

    /// <summary>Writes <paramref name="text"/> as Latin-1 bytes at <paramref name="offset"/>, NUL-terminated unless told otherwise.</summary>
    public void SetString(int offset, string text, bool nul = true)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(text);
        bytes.CopyTo(Memory.Span[offset..]);
        if (nul) Memory.Span[offset + bytes.Length] = 0;
    }

    /// <summary>The NUL-terminated string at <paramref name="offset"/> (Latin-1).</summary>
    public string String(int offset)
    {
        ReadOnlySpan<byte> rest = Memory.Span[offset..];
        int nul = rest.IndexOf((byte)0);
        return Encoding.Latin1.GetString(nul < 0 ? rest : rest[..nul]);
    }

    public void Dispose()
    {
        foreach (Map map in _maps)
        {
            Maps.Remove(map);
            map.Release();
        }
        Memory.Dispose();
        _epochs.Dispose();
    }
}
