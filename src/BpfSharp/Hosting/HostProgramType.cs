using BpfSharp.Verifier;

namespace BpfSharp.Hosting;

/// <summary>
/// A program type a .NET host defines for its own extensions (the kernel's bpf_verifier_ops made public): the
/// context struct programs get in r1 (its size and the fields they may read or write), the values they may return,
/// and the helpers they may call, kernel helpers by id and helpers implemented in C#. Built with
/// <see cref="HostProgramTypeBuilder"/>, immutable, registered with a system by
/// <see cref="BpfSystem.RegisterProgramType"/>, which gives it its program-type number.
/// </summary>
/// <remarks>
/// Numbering: kernel helpers keep their ids (below <see cref="Uapi.HelperNames.MaxId"/>); host helpers use
/// <see cref="FirstHelperId"/>..<see cref="LastHelperId"/> (a C program declares one as
/// <c>static long (*host_fn)(void *buf, __u32 len) = (void *)1000;</c>). Host program types are numbered from
/// <see cref="FirstProgTypeNumber"/> in the order a system registers them, past the kernel's enum bpf_prog_type.
/// </remarks>
public sealed class HostProgramType
{
    /// <summary>The first id of helpers a host implements (the kernel's helper ids end at 211 and are frozen).</summary>
    public const int FirstHelperId = 1000;

    /// <summary>The last id of helpers a host implements.</summary>
    public const int LastHelperId = 1999;

    /// <summary>The program-type number a system gives the first host type it registers (then 1001, ...).</summary>
    public const uint FirstProgTypeNumber = 1000;

    internal HostProgramType(string name, int contextSize, HostContextField[] fields, RetvalRange? returnRange,
        int[] kernelHelpers, HostHelperSpec[] helpers)
    {
        Name = name;
        ContextSize = contextSize;
        _fields = fields;
        ReturnRange = returnRange;
        _kernelHelpers = kernelHelpers;
        _helpers = helpers;
    }

    private readonly HostContextField[] _fields;
    private readonly int[] _kernelHelpers;
    private readonly HostHelperSpec[] _helpers;

    /// <summary>The type's name (messages).</summary>
    public string Name { get; }

    /// <summary>The size of the context in bytes.</summary>
    public int ContextSize { get; }

    /// <summary>The accessible fields, ordered by offset, none overlapping.</summary>
    public IReadOnlyList<HostContextField> Fields => _fields;

    /// <summary>The values r0 may hold at exit, or null for any.</summary>
    public RetvalRange? ReturnRange { get; }

    /// <summary>The kernel helpers programs may call, by id, ascending.</summary>
    public IReadOnlyList<int> KernelHelpers => _kernelHelpers;

    /// <summary>The helpers implemented by the host, ordered by id.</summary>
    public IReadOnlyList<HostHelperSpec> Helpers => _helpers;

    /// <summary>True if a program may store into some field.</summary>
    public bool HasWritableFields => Array.Exists(_fields, f => f.Writable);

    /// <summary>The field covering context byte <paramref name="offset"/>, or null.</summary>
    public HostContextField? FieldAt(int offset)
    {
        // fields are few; a binary search over the sorted offsets
        int lo = 0, hi = _fields.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            HostContextField f = _fields[mid];
            if (offset < f.Offset) hi = mid - 1;
            else if (offset >= f.End) lo = mid + 1;
            else return f;
        }
        return null;
    }

    /// <summary>The host helper <paramref name="id"/>, or null.</summary>
    public HostHelperSpec? Helper(int id)
    {
        foreach (HostHelperSpec h in _helpers)
            if (h.Id == id) return h;
        return null;
    }

    /// <summary>The type's name.</summary>
    public override string ToString() => Name;
}
