using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using BpfSharp.Maps;
using BpfSharp.Memory;
using BpfSharp.Runtime;
using BpfSharp.Syscall;
using BpfSharp.Uapi;

namespace BpfSharp.Bench;

/// <summary>The operation a worker repeats.</summary>
internal enum MapOp
{
    Lookup,
    Update,
}

// One worker per column of the map benchmark. Each does Chunk operations per Run over the key sequence.

/// <summary>ConcurrentDictionary&lt;int, long&gt;: TryGetValue, or the indexer's set.</summary>
internal sealed class DictionaryWorker(ConcurrentDictionary<int, long> dictionary, MapOp op, uint mask) : IWorker
{
    public long Sink;
    public int Chunk => 1024;

    public void Run(long start)
    {
        long sum = 0;
        if (op == MapOp.Lookup)
        {
            for (long i = start; i < start + 1024; i++)
            {
                if (dictionary.TryGetValue((int)Harness.Key(i, mask), out long v)) sum += v;
            }
        }
        else
        {
            for (long i = start; i < start + 1024; i++) dictionary[(int)Harness.Key(i, mask)] = i;
        }
        Sink += sum;
    }
}

/// <summary>The typed API: <see cref="BpfMap{TKey, TValue}.TryGetValue(TKey, out TValue)"/>, or the indexer's set.</summary>
internal sealed class TypedWorker(BpfMap<int, long> map, MapOp op, uint mask) : IWorker
{
    public long Sink;
    public int Chunk => 256;

    public void Run(long start)
    {
        long sum = 0;
        if (op == MapOp.Lookup)
        {
            for (long i = start; i < start + 256; i++)
            {
                if (map.TryGetValue((int)Harness.Key(i, mask), out long v)) sum += v;
            }
        }
        else
        {
            for (long i = start; i < start + 256; i++) map[(int)Harness.Key(i, mask)] = i;
        }
        Sink += sum;
    }
}

/// <summary>The <c>Bpf</c> facade itself: a MAP_LOOKUP_ELEM / MAP_UPDATE_ELEM attr per operation.</summary>
internal sealed unsafe class FacadeWorker(BpfSystem system, int fd, MapOp op, uint mask) : IWorker
{
    public long Sink;
    public int Chunk => 256;

    public void Run(long start)
    {
        BpfCommand cmd = op == MapOp.Lookup ? BpfCommand.MapLookupElem : BpfCommand.MapUpdateElem;
        long sum = 0;
        for (long i = start; i < start + 256; i++)
        {
            int key = (int)Harness.Key(i, mask);
            long value = i;
            MapElemAttr a = default;
            a.MapFd = (uint)fd;
            a.Key = (ulong)&key;
            a.Value = (ulong)&value;
            if (system.Bpf(cmd, new Span<byte>(&a, sizeof(MapElemAttr))) == 0) sum += value;
        }
        Sink += sum;
    }
}

/// <summary>The map object itself (Map.LookupElem / UpdateElem), inside an epoch: the floor under every other column of ours.</summary>
internal sealed unsafe class CoreWorker(Map map, EpochManager epochs, MapOp op, uint mask) : IWorker
{
    public long Sink;
    public int Chunk => 1024;

    public void Run(long start)
    {
        long sum = 0;
        using EpochManager.Guard run = epochs.Enter();
        for (long i = start; i < start + 1024; i++)
        {
            int key = (int)Harness.Key(i, mask);
            if (op == MapOp.Lookup)
            {
                long* v = (long*)map.LookupElem((byte*)&key, 0);
                if (v != null) sum += *v;
            }
            else
            {
                long value = i;
                sum += map.UpdateElem((byte*)&key, (byte*)&value, 0, 0);
            }
        }
        Sink += sum;
    }
}

/// <summary>A program of this system through BPF_PROG_TEST_RUN (checked mode: programs are not verified yet).</summary>
internal sealed class TestRunWorker(BpfProgram program, uint repeat) : IWorker
{
    public long Sink;
    public int Chunk => (int)repeat;

    public void Run(long start) => Sink += program.TestRun([], default, repeat).Retval;
}

/// <summary>
/// The same program's instructions in an unchecked interpreter (as verified programs will run), with the
/// system's map registry and helpers, one epoch per run as LoadedProgram.Run does.
/// </summary>
internal sealed class UncheckedWorker(Interpreter interpreter, BpfSystem system) : IWorker
{
    private readonly RunContext _run = new() { Maps = system.Maps, PossibleCpus = system.PossibleCpus };
    public ulong Sink;
    public int Chunk => 16;

    public void Run(long start)
    {
        for (int i = 0; i < 16; i++)
        {
            using EpochManager.Guard epoch = system.Epochs.Enter();
            Sink += interpreter.Run(_run);
        }
    }
}

/// <summary>The live kernel's map through the bpf() syscall.</summary>
internal sealed unsafe class KernelSyscallWorker(int fd, MapOp op, uint mask) : IWorker
{
    public long Sink;
    public int Chunk => 64;

    public void Run(long start)
    {
        BpfCommand cmd = op == MapOp.Lookup ? BpfCommand.MapLookupElem : BpfCommand.MapUpdateElem;
        long sum = 0;
        for (long i = start; i < start + 64; i++)
        {
            int key = (int)Harness.Key(i, mask);
            long value = i;
            if (KernelBpf.Elem(cmd, fd, &key, &value) == 0) sum += value;
        }
        Sink += sum;
    }
}

/// <summary>A program in the live kernel through BPF_PROG_TEST_RUN with repeat.</summary>
internal sealed unsafe class KernelTestRunWorker : IWorker
{
    private readonly int _fd;
    private readonly uint _repeat;
    private readonly byte* _packet = (byte*)NativeMemory.AllocZeroed(64);

    public KernelTestRunWorker(int fd, uint repeat)
    {
        _fd = fd;
        _repeat = repeat;
    }

    public int Chunk => (int)_repeat;

    public void Run(long start)
    {
        int err = KernelBpf.TestRun(_fd, _packet, 64, _repeat);
        if (err < 0) throw new InvalidOperationException($"kernel BPF_PROG_TEST_RUN: {Errno.Name(err)}");
    }
}
