namespace BpfSharp;

/// <summary>
/// How a hook's host combines the results of the programs one fire runs (<see cref="Hook{TContext}.Fire{TAggregator}"/>):
/// it sees each program's r0 in attach order and may stop the rest. Implemented by structs (or ref structs), so a
/// fire allocates nothing: <see cref="LastResult"/>, <see cref="FirstNonZero"/>, <see cref="AndResults"/>,
/// <see cref="ResultsInto"/>, <see cref="ResultCallback"/>, or the host's own.
/// </summary>
public interface IHookAggregator
{
    /// <summary>Takes the result of the program at <paramref name="index"/> (attach order); false skips the programs after it.</summary>
    bool Add(int index, ulong result);
}

/// <summary>Runs every program and keeps the last result (0 if none ran) and how many ran.</summary>
public struct LastResult : IHookAggregator
{
    /// <summary>The last program's r0, 0 if no program ran.</summary>
    public ulong Value;
    /// <summary>How many programs ran.</summary>
    public int Count;

    /// <inheritdoc/>
    public bool Add(int index, ulong result)
    {
        Value = result;
        Count++;
        return true;
    }
}

/// <summary>Runs programs until one returns non-zero (a chain of filters where the first verdict wins).</summary>
public struct FirstNonZero : IHookAggregator
{
    /// <summary>The first non-zero r0, or 0.</summary>
    public ulong Value;
    /// <summary>The attach-order index of the program that returned it, or -1.</summary>
    public int Index;

    /// <summary>An aggregator that has seen nothing yet (Index -1).</summary>
    public FirstNonZero() => Index = -1;

    /// <inheritdoc/>
    public bool Add(int index, ulong result)
    {
        if (result == 0) return true;
        Value = result;
        Index = index;
        return false;
    }
}

/// <summary>
/// Runs every program and ANDs their 32-bit results into a value that starts at 1, the kernel's rule for tracing
/// programs (kernel: bpf_prog_run_array, where 0 means "drop the event"): 1 if every program returned an odd value.
/// </summary>
public struct AndResults : IHookAggregator
{
    private bool _seen;
    private uint _value;

    /// <summary>1 &amp; every result (1 when no program ran).</summary>
    public readonly uint Value => _seen ? _value : 1;

    /// <inheritdoc/>
    public bool Add(int index, ulong result)
    {
        _value = (_seen ? _value : 1) & (uint)result;
        _seen = true;
        return true;
    }
}

/// <summary>Writes each program's result into a span, in attach order; programs beyond its length still run.</summary>
/// <param name="destination">Where the results go.</param>
public ref struct ResultsInto(Span<ulong> destination) : IHookAggregator
{
    private readonly Span<ulong> _destination = destination;

    /// <summary>How many programs ran (results past the span's length are not kept).</summary>
    public int Count { get; private set; }

    /// <inheritdoc/>
    public bool Add(int index, ulong result)
    {
        if ((uint)index < (uint)_destination.Length) _destination[index] = result;
        Count++;
        return true;
    }
}

/// <summary>Hands each result to a delegate (cache the delegate: creating one allocates); it returns false to stop.</summary>
/// <param name="callback">Called with the program's attach-order index and r0.</param>
public readonly struct ResultCallback(Func<int, ulong, bool> callback) : IHookAggregator
{
    /// <inheritdoc/>
    public bool Add(int index, ulong result) => callback(index, result);
}
