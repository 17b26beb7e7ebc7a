using System.Reflection;
using System.Reflection.Emit;
using System.Text;

namespace BpfSharp.Runtime.Jit;

/// <summary>
/// An <see cref="ILGenerator"/> that can also write what it emits as text (<c>IL_0012: add</c>), for
/// <c>bpfsharp prog dump --jited</c>. Only the emit forms the JIT uses.
/// </summary>
internal sealed class IlWriter
{
    private readonly ILGenerator _il;
    private readonly StringBuilder? _listing;
    private readonly Dictionary<Label, string> _labelNames = [];
    private readonly Dictionary<LocalBuilder, string> _localNames = [];

    public IlWriter(ILGenerator il, StringBuilder? listing)
    {
        _il = il;
        _listing = listing;
    }

    /// <summary>True if a listing is being written (callers skip building comment text otherwise).</summary>
    public bool Listing => _listing is not null;

    /// <summary>Bytes of IL emitted so far.</summary>
    public int Offset => _il.ILOffset;

    public LocalBuilder DeclareLocal(Type type, string name)
    {
        LocalBuilder local = _il.DeclareLocal(type);
        if (_listing is not null) _localNames[local] = name;
        return local;
    }

    public Label DefineLabel(string name)
    {
        Label label = _il.DefineLabel();
        if (_listing is not null) _labelNames[label] = name;
        return label;
    }

    /// <summary>A label named <paramref name="prefix"/> followed by <paramref name="pc"/> (the name is only built for a listing).</summary>
    public Label DefineLabel(string prefix, int pc)
    {
        Label label = _il.DefineLabel();
        if (_listing is not null) _labelNames[label] = prefix + pc.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return label;
    }

    public void MarkLabel(Label label)
    {
        _listing?.Append(_labelNames[label]).Append(":\n");
        _il.MarkLabel(label);
    }

    /// <summary>A comment line in the listing (the eBPF instruction that follows).</summary>
    public void Comment(string text) => _listing?.Append("  // ").Append(text).Append('\n');

    public void Emit(OpCode op)
    {
        Line(op, null);
        _il.Emit(op);
    }

    public void Emit(OpCode op, int value)
    {
        Line(op, _listing is null ? null : value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _il.Emit(op, value);
    }

    public void Emit(OpCode op, long value)
    {
        Line(op, _listing is null ? null : $"0x{value:x}");
        _il.Emit(op, value);
    }

    public void Emit(OpCode op, short value)
    {
        Line(op, _listing is null ? null : value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _il.Emit(op, value);
    }

    public void Emit(OpCode op, byte value)
    {
        Line(op, _listing is null ? null : value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _il.Emit(op, value);
    }

    public void Emit(OpCode op, Label label)
    {
        Line(op, _listing is null ? null : _labelNames[label]);
        _il.Emit(op, label);
    }

    public void Emit(OpCode op, LocalBuilder local)
    {
        Line(op, _listing is null ? null : _localNames[local]);
        _il.Emit(op, local);
    }

    public void Emit(OpCode op, MethodInfo method)
    {
        Line(op, _listing is null ? null : $"{method.DeclaringType?.Name ?? "dynamic"}::{method.Name}");
        _il.Emit(op, method);
    }

    public void Emit(OpCode op, FieldInfo field)
    {
        Line(op, _listing is null ? null : $"{field.DeclaringType?.Name}::{field.Name}");
        _il.Emit(op, field);
    }

    public void Emit(OpCode op, Type type)
    {
        Line(op, type.Name);
        _il.Emit(op, type);
    }

    private void Line(OpCode op, string? operand)
    {
        if (_listing is null) return;
        _listing.Append($"  IL_{_il.ILOffset:x4}: ").Append(op.Name);
        if (operand is not null) _listing.Append(' ').Append(operand);
        _listing.Append('\n');
    }
}
