using System.Buffers.Binary;
using System.Globalization;
using System.Reflection.Emit;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace BpfSharp.Runtime.Jit;

/// <summary>A local variable of the method an <see cref="IlWriter"/> writes.</summary>
internal readonly record struct IlLocal(int Index);

/// <summary>A branch target in the method an <see cref="IlWriter"/> writes.</summary>
internal readonly record struct IlLabel(int Index);

/// <summary>
/// Writes a <see cref="DynamicMethod"/>'s IL bytes itself and hands them over with <see cref="DynamicILInfo"/> (an
/// <see cref="ILGenerator"/> costs several times more per instruction), and can also write what it emits as text
/// (<c>IL_0012: add</c>) for <c>bpfsharp prog dump --jited</c>. Only the emit forms the JIT uses; locals and
/// arguments get their short forms, branches their long ones. No exception blocks.
/// </summary>
/// <remarks>
/// The per-instruction paths of the JIT (this writer, the method compiler, the pre-decoder) are compiled fully optimized
/// at once (AggressiveOptimization): otherwise the first programs a process compiles run them as tier-0 code, which
/// more than doubles the JIT's own share of a compilation.
/// </remarks>
internal sealed class IlWriter
{
    // Deeper than any sequence the JIT emits (a call with its nine arguments and a few more values); RyuJIT rejects
    // a method whose stack goes deeper than this.
    private const int MaxStack = 32;

    private readonly DynamicILInfo _info;
    private readonly StringBuilder? _listing;
    private readonly List<Type> _locals = [];
    private readonly List<string> _localNames = [];
    private readonly List<int> _labelOffsets = [];          // -1 until marked
    private readonly List<string> _labelNames = [];
    private readonly List<(int At, int Label)> _fixups = []; // a 4-byte displacement at At, relative to At + 4
    private readonly Dictionary<object, int> _tokens = [];
    private byte[] _code;
    private int _length;
    private IlCost _cost;

    /// <param name="method">The method to write.</param>
    /// <param name="listing">Where to write the listing, or null.</param>
    /// <param name="expectedBytes">A guess at the IL's size (the buffer grows past it).</param>
    public IlWriter(DynamicMethod method, StringBuilder? listing, int expectedBytes)
    {
        _info = method.GetDynamicILInfo();
        _listing = listing;
        _code = new byte[Math.Max(64, expectedBytes)];
    }

    /// <summary>True if a listing is being written (callers skip building comment text otherwise).</summary>
    public bool Listing => _listing is not null;

    /// <summary>Bytes of IL emitted so far.</summary>
    public int Offset => _length;

    /// <summary>What has been emitted so far, in the measures RyuJIT's switch to MinOpts looks at.</summary>
    public IlCost Cost => _cost with { Bytes = _length };

    public IlLocal DeclareLocal(Type type, string name)
    {
        _locals.Add(type);
        if (_listing is not null) _localNames.Add(name);
        return new IlLocal(_locals.Count - 1);
    }

    public IlLabel DefineLabel(string name)
    {
        _labelOffsets.Add(-1);
        if (_listing is not null) _labelNames.Add(name);
        return new IlLabel(_labelOffsets.Count - 1);
    }

    /// <summary>A label named <paramref name="prefix"/> followed by <paramref name="pc"/> (the name is only built for a listing).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public IlLabel DefineLabel(string prefix, int pc)
    {
        _labelOffsets.Add(-1);
        if (_listing is not null) _labelNames.Add(prefix + pc.ToString(CultureInfo.InvariantCulture));
        return new IlLabel(_labelOffsets.Count - 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void MarkLabel(IlLabel label)
    {
        _listing?.Append(_labelNames[label.Index]).Append(":\n");
        _labelOffsets[label.Index] = _length;
        _cost.Blocks++;
    }

    /// <summary>A comment line in the listing (the eBPF instruction that follows).</summary>
    public void Comment(string text) => _listing?.Append("  // ").Append(text).Append('\n');

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Emit(OpCode op)
    {
        Line(op, null);
        Op(op);
    }

    /// <summary>An int32 operand; <c>ldc.i4</c> takes its shortest form.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Emit(OpCode op, int value)
    {
        if (op == OpCodes.Ldc_I4)
        {
            if (value is >= -1 and <= 8)
            {
                Emit(value switch
                {
                    -1 => OpCodes.Ldc_I4_M1, 0 => OpCodes.Ldc_I4_0, 1 => OpCodes.Ldc_I4_1, 2 => OpCodes.Ldc_I4_2,
                    3 => OpCodes.Ldc_I4_3, 4 => OpCodes.Ldc_I4_4, 5 => OpCodes.Ldc_I4_5, 6 => OpCodes.Ldc_I4_6,
                    7 => OpCodes.Ldc_I4_7, _ => OpCodes.Ldc_I4_8,
                });
                return;
            }
            if (value is >= sbyte.MinValue and <= sbyte.MaxValue)
            {
                Line(OpCodes.Ldc_I4_S, Number(value));
                Op(OpCodes.Ldc_I4_S);
                Byte((byte)(sbyte)value);
                return;
            }
        }
        Line(op, Number(value));
        Op(op);
        Int32(value);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Emit(OpCode op, long value)
    {
        Line(op, _listing is null ? null : $"0x{value:x}");
        Op(op);
        Ensure(8);
        BinaryPrimitives.WriteInt64LittleEndian(_code.AsSpan(_length), value);
        _length += 8;
    }

    /// <summary><c>ldarg</c> (the only use): its shortest form.</summary>
    public void Emit(OpCode op, short value)
    {
        if (op != OpCodes.Ldarg) throw new ArgumentException($"{op.Name} with an int16 operand is not used", nameof(op));
        if (value <= 3)
        {
            Emit(value switch { 0 => OpCodes.Ldarg_0, 1 => OpCodes.Ldarg_1, 2 => OpCodes.Ldarg_2, _ => OpCodes.Ldarg_3 });
            return;
        }
        Line(OpCodes.Ldarg_S, Number(value));
        Op(OpCodes.Ldarg_S);
        Byte((byte)value);
    }

    public void Emit(OpCode op, byte value)
    {
        Line(op, Number(value));
        Op(op);
        Byte(value);
    }

    /// <summary>A branch (long form) to <paramref name="label"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Emit(OpCode op, IlLabel label)
    {
        Line(op, _listing is null ? null : _labelNames[label.Index]);
        Op(op);
        _cost.Blocks++;
        Ensure(4);
        _fixups.Add((_length, label.Index));
        _length += 4;
    }

    /// <summary><c>ldloc</c> or <c>stloc</c>: their shortest form.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Emit(OpCode op, IlLocal local)
    {
        int index = local.Index;
        bool load = op == OpCodes.Ldloc;
        if (!load && op != OpCodes.Stloc) throw new ArgumentException($"{op.Name} with a local is not used", nameof(op));
        OpCode form = index switch
        {
            0 => load ? OpCodes.Ldloc_0 : OpCodes.Stloc_0,
            1 => load ? OpCodes.Ldloc_1 : OpCodes.Stloc_1,
            2 => load ? OpCodes.Ldloc_2 : OpCodes.Stloc_2,
            3 => load ? OpCodes.Ldloc_3 : OpCodes.Stloc_3,
            <= 255 => load ? OpCodes.Ldloc_S : OpCodes.Stloc_S,
            _ => op,
        };
        Line(form, _listing is null ? null : _localNames[index]);
        Op(form);
        if (index > 255) Int16((short)index);
        else if (index > 3) Byte((byte)index);
    }

    public void Emit(OpCode op, MethodInfo method)
    {
        Line(op, _listing is null ? null : $"{method.DeclaringType?.Name ?? "dynamic"}::{method.Name}");
        Op(op);
        Int32(Token(method));
    }

    public void Emit(OpCode op, FieldInfo field)
    {
        Line(op, _listing is null ? null : $"{field.DeclaringType?.Name}::{field.Name}");
        Op(op);
        Int32(Token(field));
    }

    public void Emit(OpCode op, Type type)
    {
        Line(op, _listing is null ? null : type.Name);
        Op(op);
        Int32(Token(type));
    }

    /// <summary>Resolves the branches and hands the code and locals to the method; call once, after the last emit.</summary>
    public void Finish()
    {
        foreach ((int at, int label) in _fixups)
        {
            int target = _labelOffsets[label];
            if (target < 0) throw new InvalidOperationException($"IL label {label} was never marked (a JIT bug)");
            BinaryPrimitives.WriteInt32LittleEndian(_code.AsSpan(at), target - (at + 4));
        }
        SignatureHelper locals = SignatureHelper.GetLocalVarSigHelper();
        foreach (Type type in _locals) locals.AddArgument(type);
        _info.SetLocalSignature(locals.GetSignature());
        _info.SetCode(_code.AsSpan(0, _length).ToArray(), MaxStack);
    }

    private int Token(object member)
    {
        if (_tokens.TryGetValue(member, out int token)) return token;
        token = member switch
        {
            DynamicMethod dynamic => _info.GetTokenFor(dynamic),
            MethodInfo m when m.DeclaringType is { IsGenericType: true } t => _info.GetTokenFor(m.MethodHandle, t.TypeHandle),
            MethodInfo m => _info.GetTokenFor(m.MethodHandle),
            FieldInfo f when f.DeclaringType is { IsGenericType: true } t => _info.GetTokenFor(f.FieldHandle, t.TypeHandle),
            FieldInfo f => _info.GetTokenFor(f.FieldHandle),
            Type t => _info.GetTokenFor(t.TypeHandle),
            _ => throw new ArgumentException($"no token for {member}", nameof(member)),
        };
        _tokens.Add(member, token);
        return token;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private void Op(OpCode op)
    {
        Ensure(2);
        int value = (ushort)op.Value;
        if (value > 0xff) _code[_length++] = (byte)(value >> 8); // the two-byte opcodes, 0xfe xx
        _code[_length++] = (byte)value;
        _cost.Operations++;
        // ldarg*, starg*, ldloc*, stloc* and their address forms: 0x02-0x13 and 0xfe09-0xfe0e
        if (value is >= 0x02 and <= 0x13 or >= 0xfe09 and <= 0xfe0e) _cost.LocalReferences++;
        else if (value is 0x2a or 0x7a) _cost.Blocks++; // ret, throw
    }

    private void Byte(byte value)
    {
        Ensure(1);
        _code[_length++] = value;
    }

    private void Int16(short value)
    {
        Ensure(2);
        BinaryPrimitives.WriteInt16LittleEndian(_code.AsSpan(_length), value);
        _length += 2;
    }

    private void Int32(int value)
    {
        Ensure(4);
        BinaryPrimitives.WriteInt32LittleEndian(_code.AsSpan(_length), value);
        _length += 4;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Ensure(int bytes)
    {
        if (_length + bytes > _code.Length) Grow(bytes);
    }

    private void Grow(int bytes) => Array.Resize(ref _code, Math.Max(_code.Length * 2, _length + bytes));

    private string? Number(int value) => _listing is null ? null : value.ToString(CultureInfo.InvariantCulture);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Line(OpCode op, string? operand)
    {
        if (_listing is not null) WriteLine(_listing, op, operand);
    }

    private void WriteLine(StringBuilder listing, OpCode op, string? operand)
    {
        listing.Append(CultureInfo.InvariantCulture, $"  IL_{_length:x4}: ").Append(op.Name);
        if (operand is not null) listing.Append(' ').Append(operand);
        listing.Append('\n');
    }
}
