using BpfSharp.Elf.Btf;

namespace BpfSharp.Elf;

/// <summary>
/// Everything a clang-built BPF object declares, read the way libbpf reads it: its maps (BTF-defined,
/// legacy and global data), its programs linked with their subprograms, its license and its BTF.
/// Inspect and change it, then create it with <c>Collection.Load</c>.
/// </summary>
public sealed class CollectionSpec
{
    internal CollectionSpec(string objectName) => ObjectName = objectName;

    /// <summary>The object's name (the file name up to its first '.'), the prefix of global data maps' names.</summary>
    public string ObjectName { get; }
    /// <summary>The maps, by name, in the order the object declares them.</summary>
    public OrderedDictionary<string, MapSpec> Maps { get; } = new(StringComparer.Ordinal);
    /// <summary>The programs, by function name, in section order.</summary>
    public OrderedDictionary<string, ProgramSpec> Programs { get; } = new(StringComparer.Ordinal);
    /// <summary>Global variables with a symbol (name, data map, offset, size).</summary>
    public OrderedDictionary<string, VariableSpec> Variables { get; } = new(StringComparer.Ordinal);
    /// <summary>The <c>license</c> section ("" if none).</summary>
    public string License { get; internal set; } = "";
    /// <summary>The <c>version</c> section, 0 if none.</summary>
    public uint KernelVersion { get; internal set; }
    /// <summary>The object's BTF (<c>.BTF</c>, DATASEC sizes and offsets filled in as libbpf does), or null.</summary>
    public BtfBlob? Btf { get; internal set; }
    /// <summary>
    /// True if the object cannot load without its BTF (libbpf's kernel_needs_btf: it has a <c>.struct_ops</c> or
    /// <c>.struct_ops.link</c> section). Otherwise a BTF the system refuses is left out, as libbpf leaves it out.
    /// </summary>
    public bool NeedsKernelBtf { get; internal set; }

    /// <summary>Reads the object at <paramref name="path"/>.</summary>
    /// <exception cref="Isa.BpfFormatException">The file is not a BPF object this loader understands; the message names the section and offset.</exception>
    public static CollectionSpec Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return ObjectReader.Read(File.ReadAllBytes(path), ObjectReader.ObjectNameOf(path));
    }

    /// <summary>Reads an object from <paramref name="stream"/>; <paramref name="objectName"/> prefixes global data maps' names.</summary>
    /// <exception cref="Isa.BpfFormatException">The stream does not hold a BPF object this loader understands.</exception>
    public static CollectionSpec Load(Stream stream, string objectName = "obj")
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return ObjectReader.Read(copy.ToArray(), objectName);
    }

    /// <summary>Reads an object from <paramref name="image"/>.</summary>
    /// <exception cref="Isa.BpfFormatException">The bytes are not a BPF object this loader understands.</exception>
    public static CollectionSpec Load(byte[] image, string objectName = "obj")
    {
        ArgumentNullException.ThrowIfNull(image);
        return ObjectReader.Read(image, objectName);
    }

    /// <summary>
    /// Sets the initial value of global variables (cilium/ebpf's RewriteConstants; libbpf's skeleton
    /// <c>rodata</c>): each name must be a variable of a global data map and the bytes its exact size.
    /// </summary>
    /// <exception cref="KeyNotFoundException">A name is not a variable.</exception>
    /// <exception cref="ArgumentException">A value's size is not the variable's.</exception>
    public void SetVariable(string name, ReadOnlySpan<byte> value)
    {
        if (!Variables.TryGetValue(name, out VariableSpec? v))
            throw new KeyNotFoundException($"no global variable '{name}' in the object");
        if (value.Length != v.Size)
            throw new ArgumentException($"variable '{name}' is {v.Size} bytes, not {value.Length}", nameof(value));
        MapSpec map = Maps[v.Map];
        value.CopyTo(map.Contents.AsSpan((int)v.Offset, v.Size));
    }

    /// <summary>Sets a variable to an unmanaged value (see <see cref="SetVariable(string, ReadOnlySpan{byte})"/>).</summary>
    public void SetVariable<T>(string name, T value) where T : unmanaged =>
        SetVariable(name, System.Runtime.InteropServices.MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value)));
}

/// <summary>A global variable: the data map that holds it, its offset in the map's value and its size.</summary>
/// <param name="Name">The C name.</param>
/// <param name="Map">The global data map's name.</param>
/// <param name="Offset">Byte offset in the value.</param>
/// <param name="Size">Size in bytes.</param>
public sealed record VariableSpec(string Name, string Map, uint Offset, int Size);
