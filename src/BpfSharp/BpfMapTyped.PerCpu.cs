using System.Runtime.CompilerServices;
using BpfSharp.Uapi;

namespace BpfSharp;

// Per-CPU values: user space reads and writes one round_up(value_size, 8)-byte slot per possible CPU.
public sealed unsafe partial class BpfMap<TKey, TValue>
{
    /// <summary>
    /// Copies every CPU's value of <paramref name="key"/> into <paramref name="values"/> (index = CPU;
    /// at least <see cref="BpfMap.PossibleCpus"/> long). False if the key is not in the map.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not a per-CPU map.</exception>
    /// <exception cref="ArgumentException"><paramref name="values"/> is shorter than the number of possible CPUs.</exception>
    /// <exception cref="BpfException">Any error but ENOENT.</exception>
    [SkipLocalsInit]
    public bool TryGetValues(TKey key, Span<TValue> values)
    {
        ThrowIfNotPerCpu();
        int cpus = PossibleCpus;
        if (values.Length < cpus) throw new ArgumentException($"the span must hold a value for each of the {cpus} possible CPUs", nameof(values));
        uint slot = PerCpuSlotSize;
        if ((uint)sizeof(TValue) == slot)
        {
            fixed (TValue* v = values)
                return Found(BpfCommand.MapLookupElem, Elem(BpfCommand.MapLookupElem, &key, v, 0));
        }
        using var scratch = new Scratch(stackalloc byte[ScratchBytes], UserValueSize);
        if (!Found(BpfCommand.MapLookupElem, Elem(BpfCommand.MapLookupElem, &key, scratch.Pointer, 0)))
            return false;
        for (int cpu = 0; cpu < cpus; cpu++)
            values[cpu] = Unsafe.ReadUnaligned<TValue>(scratch.Pointer + (nuint)cpu * slot);
        return true;
    }

    /// <summary>Every CPU's value of <paramref name="key"/>, index = CPU (allocates the array; see <see cref="TryGetValues"/>).</summary>
    /// <exception cref="KeyNotFoundException">The key is not in the map.</exception>
    /// <exception cref="InvalidOperationException">Not a per-CPU map.</exception>
    /// <exception cref="BpfException">Any other error.</exception>
    public TValue[] GetValues(TKey key)
    {
        var values = new TValue[PossibleCpus];
        if (!TryGetValues(key, values))
            throw new KeyNotFoundException($"BPF_MAP_LOOKUP_ELEM: ENOENT: the key is not in map {Id}");
        return values;
    }

    /// <summary>
    /// Sets every CPU's value of <paramref name="key"/> (BPF_MAP_UPDATE_ELEM with one slot per CPU);
    /// <paramref name="values"/> holds exactly one value per possible CPU.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not a per-CPU map.</exception>
    /// <exception cref="ArgumentException"><paramref name="values"/> does not hold one value per possible CPU.</exception>
    /// <exception cref="BpfException">EEXIST, ENOENT (BPF_NOEXIST, BPF_EXIST), E2BIG (full), EPERM (frozen), ...</exception>
    [SkipLocalsInit]
    public void UpdateValues(TKey key, ReadOnlySpan<TValue> values, ulong flags = MapFlags.BPF_ANY)
    {
        ThrowIfNotPerCpu();
        int cpus = PossibleCpus;
        if (values.Length != cpus) throw new ArgumentException($"the span must hold one value for each of the {cpus} possible CPUs", nameof(values));
        uint slot = PerCpuSlotSize;
        if ((uint)sizeof(TValue) == slot)
        {
            fixed (TValue* v = values)
                Check(BpfCommand.MapUpdateElem, Elem(BpfCommand.MapUpdateElem, &key, v, flags));
            return;
        }
        uint size = UserValueSize;
        using var scratch = new Scratch(stackalloc byte[ScratchBytes], size);
        new Span<byte>(scratch.Pointer, (int)size).Clear(); // the padding of each slot
        for (int cpu = 0; cpu < cpus; cpu++)
            Unsafe.WriteUnaligned(scratch.Pointer + (nuint)cpu * slot, values[cpu]);
        Check(BpfCommand.MapUpdateElem, Elem(BpfCommand.MapUpdateElem, &key, scratch.Pointer, flags));
    }

    private void ThrowIfNotPerCpu()
    {
        if (!IsPerCpu)
            throw new InvalidOperationException($"{Type} has one value per key: use TryGetValue and Update");
    }
}
