namespace BpfSharp.Hosting;

/// <summary>
/// One field of a host-defined program type's context: <see cref="Size"/> bytes (1, 2, 4 or 8) at
/// <see cref="Offset"/>. Programs load it whole or, with <see cref="NarrowReads"/>, in aligned power-of-two
/// parts (kernel: bpf_ctx_narrow_access_ok); they store into it only whole and only if it is
/// <see cref="Writable"/>. Bytes that no field covers cannot be accessed at all.
/// </summary>
/// <param name="Name">The field's name (for messages and documentation).</param>
/// <param name="Offset">Offset from the start of the context.</param>
/// <param name="Size">Size in bytes: 1, 2, 4 or 8.</param>
/// <param name="Writable">True if programs may store into the field; the host sees the value after the run.</param>
/// <param name="NarrowReads">True if programs may load an aligned part of the field (say the low half of a u64).</param>
public readonly record struct HostContextField(string Name, int Offset, int Size, bool Writable = false, bool NarrowReads = true)
{
    /// <summary>The first offset past the field.</summary>
    public int End => Offset + Size;

    /// <summary>Shows <c>name@offset/size rw</c>.</summary>
    public override string ToString() => $"{Name}@{Offset}/{Size} {(Writable ? "rw" : "ro")}";
}
