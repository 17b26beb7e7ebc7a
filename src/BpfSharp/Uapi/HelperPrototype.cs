namespace BpfSharp.Uapi;

/// <summary>
/// The kernel's <c>struct bpf_func_proto</c> of one helper: what it returns, what each of its (up to five)
/// arguments must be, and whether only GPL-compatible programs may call it. The verifier checks calls
/// against it; checked-mode helpers check their pointer arguments the same way.
/// </summary>
public sealed class HelperPrototype
{
    private readonly HelperArgType[] _args;

    /// <summary>Creates a prototype; unused trailing arguments are ARG_DONTCARE.</summary>
    public HelperPrototype(int id, HelperReturnType returns, bool gplOnly, params HelperArgType[] args)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(args.Length, 5, nameof(args));
        Id = id;
        Name = HelperNames.Get(id) ?? $"helper_{id}";
        Return = returns;
        GplOnly = gplOnly;
        _args = new HelperArgType[5];
        args.CopyTo(_args, 0);
        int count = 0;
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].IsUnused)
                count = i + 1;
        }
        ArgCount = count;
    }

    /// <summary>The helper id (<c>enum bpf_func_id</c>).</summary>
    public int Id { get; }
    /// <summary>The kernel's name, <c>bpf_map_lookup_elem</c> (a host-defined helper sets its own).</summary>
    public string Name { get; init; }
    /// <summary>ret_type.</summary>
    public HelperReturnType Return { get; }
    /// <summary>gpl_only: callable only from programs with a GPL-compatible license.</summary>
    public bool GplOnly { get; }
    /// <summary>pkt_access: the helper accepts pointers into packet data for its memory arguments.</summary>
    public bool PacketAccess { get; init; }
    /// <summary>might_sleep: only sleepable programs may call it.</summary>
    public bool MightSleep { get; init; }
    /// <summary>
    /// The helper's <c>allowed</c> callback refuses the program (kernel: fn->allowed, as bpf_sk_storage_get's tracing
    /// form and bpf_d_path do for programs that do not trace the functions they were meant for): a call fails with
    /// "helper call is not allowed in probe".
    /// </summary>
    public bool NotAllowed { get; init; }
    /// <summary>Number of arguments up to the last one that is not ARG_DONTCARE.</summary>
    public int ArgCount { get; }

    /// <summary>arg1_type .. arg5_type (index 0 is r1).</summary>
    public ReadOnlySpan<HelperArgType> Args => _args;

    /// <summary>The type of argument <paramref name="index"/> (0 = r1), ARG_DONTCARE past the last one.</summary>
    public HelperArgType Arg(int index) => (uint)index < 5u ? _args[index] : HelperArgType.ARG_DONTCARE;

    /// <summary><c>bpf_map_lookup_elem#1</c>.</summary>
    public override string ToString() => $"{Name}#{Id}";
}
