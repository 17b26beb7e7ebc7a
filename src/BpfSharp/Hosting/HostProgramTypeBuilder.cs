using BpfSharp.Runtime;
using BpfSharp.Uapi;
using BpfSharp.Verifier;

namespace BpfSharp.Hosting;

/// <summary>
/// Describes a <see cref="HostProgramType"/>: its context (size and fields), return range and helpers.
/// <code>
/// HostProgramType filter = HostProgramTypeBuilder.For&lt;Request&gt;("request_filter")  // fields from the struct
///     .ReturnRange(0, 1)
///     .AllowKernelHelpers("bpf_map_lookup_elem", "bpf_map_update_elem")
///     .AddHelpers(new RequestHelpers())                                    // its [HostHelper] methods
///     .Build();
/// BpfProgType type = system.RegisterProgramType(filter);
/// </code>
/// </summary>
public sealed partial class HostProgramTypeBuilder
{
    private readonly string _name;
    private readonly int _contextSize;
    private readonly List<HostContextField> _fields = [];
    private readonly SortedSet<int> _kernelHelpers = [];
    private readonly SortedDictionary<int, HostHelperSpec> _helpers = [];
    private RetvalRange? _returnRange;

    /// <summary>Starts a type named <paramref name="name"/> whose context is <paramref name="contextSize"/> bytes with no fields yet.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The size is negative or larger than 64 KiB.</exception>
    public HostProgramTypeBuilder(string name, int contextSize)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegative(contextSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(contextSize, 1 << 16);
        _name = name;
        _contextSize = contextSize;
    }

    /// <summary>
    /// Adds a field of <paramref name="size"/> (1, 2, 4 or 8) bytes at <paramref name="offset"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The size is not 1, 2, 4 or 8, the field leaves the context or overlaps another.</exception>
    public HostProgramTypeBuilder Field(string name, int offset, int size, bool writable = false, bool narrowReads = true)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (size is not (1 or 2 or 4 or 8))
            throw new ArgumentException($"field {name}: a context field is 1, 2, 4 or 8 bytes, not {size}", nameof(size));
        if (offset < 0 || offset > _contextSize - size)
            throw new ArgumentException($"field {name}: bytes {offset}..{offset + size} lie outside the {_contextSize}-byte context", nameof(offset));
        var field = new HostContextField(name, offset, size, writable, narrowReads);
        foreach (HostContextField f in _fields)
            if (field.Offset < f.End && f.Offset < field.End)
                throw new ArgumentException($"field {name} overlaps field {f.Name}", nameof(offset));
        _fields.Add(field);
        return this;
    }

    /// <summary>Adds <paramref name="count"/> fields <c>name[i]</c> of <paramref name="elementSize"/> bytes from <paramref name="offset"/> on (an array such as <c>__u32 cb[5]</c>).</summary>
    /// <exception cref="ArgumentException">As for <see cref="Field"/>.</exception>
    public HostProgramTypeBuilder ArrayField(string name, int offset, int elementSize, int count, bool writable = false, bool narrowReads = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        for (int i = 0; i < count; i++)
            Field($"{name}[{i}]", offset + i * elementSize, elementSize, writable, narrowReads);
        return this;
    }

    /// <summary>Makes the field named <paramref name="name"/> (or every element of the array of that name) writable.</summary>
    /// <exception cref="ArgumentException">No such field.</exception>
    public HostProgramTypeBuilder Writable(string name) => SetWritable(name, true);

    /// <summary>Makes the field named <paramref name="name"/> (or every element of the array of that name) read-only.</summary>
    /// <exception cref="ArgumentException">No such field.</exception>
    public HostProgramTypeBuilder ReadOnly(string name) => SetWritable(name, false);

    /// <summary>Restricts the values r0 may hold at exit to [<paramref name="min"/>, <paramref name="max"/>] (kernel: check_return_code).</summary>
    /// <exception cref="ArgumentException"><paramref name="min"/> is above <paramref name="max"/>.</exception>
    public HostProgramTypeBuilder ReturnRange(int min, int max)
    {
        if (min > max) throw new ArgumentException($"empty return range [{min}, {max}]", nameof(min));
        _returnRange = new RetvalRange(min, max);
        return this;
    }

    /// <summary>Lets programs call the kernel helpers <paramref name="ids"/> (enum bpf_func_id) with the kernel's prototypes.</summary>
    /// <exception cref="ArgumentException">An id is not a kernel helper with a known prototype.</exception>
    public HostProgramTypeBuilder AllowKernelHelpers(params ReadOnlySpan<int> ids)
    {
        foreach (int id in ids)
        {
            if (id <= 0 || id >= HelperNames.MaxId || HelperPrototypes.Get(id) is null)
                throw new ArgumentException($"helper {id} is not a kernel helper with a known prototype", nameof(ids));
            _kernelHelpers.Add(id);
        }
        return this;
    }

    /// <summary>Lets programs call the kernel helpers named <paramref name="names"/> (<c>bpf_map_lookup_elem</c>) with the kernel's prototypes.</summary>
    /// <exception cref="ArgumentException">A name is not a kernel helper with a known prototype.</exception>
    public HostProgramTypeBuilder AllowKernelHelpers(params ReadOnlySpan<string> names)
    {
        foreach (string name in names)
        {
            if (!HelperNames.TryGetId(name, out int id))
                throw new ArgumentException($"{name} is not a kernel helper", nameof(names));
            AllowKernelHelpers(id);
        }
        return this;
    }

    /// <summary>
    /// Adds helper <paramref name="id"/> implemented by <paramref name="implementation"/>, which programs call with the
    /// arguments <paramref name="args"/> (r1 first) and which returns <paramref name="returns"/>. The implementation gets
    /// the raw registers; in checked mode (unverified programs) it should check pointer arguments with
    /// <see cref="RunContext.CheckAccess"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The id is outside the host range or taken, or a type is not one a host helper may use
    /// (ARG_ANYTHING, ARG_PTR_TO_MEM with a size argument after it or a fixed size, ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR with
    /// ARG_PTR_TO_MAP_KEY/VALUE; RET_INTEGER or RET_VOID).</exception>
    public HostProgramTypeBuilder AddHelper(int id, string name, BpfHelper implementation, HelperReturnType returns,
        params HelperArgType[] args)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(implementation);
        ArgumentNullException.ThrowIfNull(args);
        var prototype = new HelperPrototype(id, returns, gplOnly: false, args) { Name = name };
        HostHelperPrototypes.Validate(prototype);
        Add(new HostHelperSpec(prototype, implementation));
        return this;
    }

    /// <summary>Adds the <see cref="HostHelperAttribute"/> instance and static methods of <paramref name="target"/>'s class, bound to <paramref name="target"/>.</summary>
    /// <exception cref="ArgumentException">A method's signature or id is not valid for a helper (see <see cref="HostHelperAttribute"/>).</exception>
    /// <exception cref="PlatformNotSupportedException">The runtime cannot generate code (helpers then need <see cref="AddHelper"/>).</exception>
    public HostProgramTypeBuilder AddHelpers(object target)
    {
        ArgumentNullException.ThrowIfNull(target);
        foreach (HostHelperSpec helper in HostHelperBinder.Bind(target.GetType(), target))
            Add(helper);
        return this;
    }

    /// <summary>Adds the static <see cref="HostHelperAttribute"/> methods of <paramref name="type"/>.</summary>
    /// <exception cref="ArgumentException">A method's signature or id is not valid for a helper, or one is an instance method.</exception>
    /// <exception cref="PlatformNotSupportedException">The runtime cannot generate code.</exception>
    public HostProgramTypeBuilder AddHelpers(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        foreach (HostHelperSpec helper in HostHelperBinder.Bind(type, null))
            Add(helper);
        return this;
    }

    /// <summary>The immutable type.</summary>
    public HostProgramType Build()
    {
        HostContextField[] fields = [.. _fields];
        Array.Sort(fields, (a, b) => a.Offset.CompareTo(b.Offset));
        return new HostProgramType(_name, _contextSize, fields, _returnRange, [.. _kernelHelpers], [.. _helpers.Values]);
    }

    private void Add(HostHelperSpec helper)
    {
        if (helper.Id is < HostProgramType.FirstHelperId or > HostProgramType.LastHelperId)
            throw new ArgumentException(
                $"helper {helper.Name}: id {helper.Id} is outside the host helper ids {HostProgramType.FirstHelperId}..{HostProgramType.LastHelperId}");
        if (!_helpers.TryAdd(helper.Id, helper))
            throw new ArgumentException($"helper {helper.Name}: id {helper.Id} is already {_helpers[helper.Id].Name}");
    }

    private HostProgramTypeBuilder SetWritable(string name, bool writable)
    {
        bool found = false;
        for (int i = 0; i < _fields.Count; i++)
        {
            string n = _fields[i].Name;
            if (n == name || (n.StartsWith(name, StringComparison.Ordinal) && n.Length > name.Length && n[name.Length] == '['))
            {
                _fields[i] = _fields[i] with { Writable = writable };
                found = true;
            }
        }
        return found ? this : throw new ArgumentException($"no context field {name}", nameof(name));
    }
}
