using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using BpfSharp.Memory;
using BpfSharp.Runtime;
using BpfSharp.Uapi;

namespace BpfSharp.Hosting;

/// <summary>
/// Turns <see cref="HostHelperAttribute"/> methods into helpers: the prototype from the signature (see the
/// attribute), and a <see cref="BpfHelper"/> that converts r1-r5 into the method's parameters (spans, references,
/// integers), checks pointer arguments in checked mode and widens the result into r0. The adapter is generated IL,
/// so a call allocates nothing.
/// </summary>
internal static class HostHelperBinder
{
    private const BindingFlags Methods = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static
        | BindingFlags.Instance | BindingFlags.DeclaredOnly;

    private static readonly Type[] AdapterArgs = [typeof(RunContext), typeof(ulong), typeof(ulong), typeof(ulong), typeof(ulong), typeof(ulong)];
    private static readonly MethodInfo CheckAccess = typeof(RunContext).GetMethod(nameof(RunContext.CheckAccess))!;
    private static readonly ConstructorInfo ReadOnlySpanOfBytes = typeof(ReadOnlySpan<byte>).GetConstructor([typeof(void*), typeof(int)])!;
    private static readonly ConstructorInfo SpanOfBytes = typeof(Span<byte>).GetConstructor([typeof(void*), typeof(int)])!;

    /// <summary>The helpers <paramref name="type"/> (and its base classes) declares, bound to <paramref name="target"/> (null: static methods only).</summary>
    public static List<HostHelperSpec> Bind(Type type, object? target)
    {
        var helpers = new List<HostHelperSpec>();
        for (Type? t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (MethodInfo method in t.GetMethods(Methods))
            {
                if (method.GetCustomAttribute<HostHelperAttribute>() is not { } attribute) continue;
                if (!method.IsStatic && target is null)
                    throw new ArgumentException($"helper method {t.Name}.{method.Name} is an instance method: pass an instance");
                helpers.Add(Bind(method, attribute, method.IsStatic ? null : target));
            }
        }
        return helpers;
    }

    private static HostHelperSpec Bind(MethodInfo method, HostHelperAttribute attribute, object? target)
    {
        string name = attribute.Name ?? method.Name;
        if (method.IsGenericMethodDefinition)
            throw new ArgumentException($"helper {name}: a generic method cannot be a helper");
        ParameterInfo[] parameters = method.GetParameters();
        var args = new List<HelperArgType>();
        foreach (ParameterInfo p in parameters)
            args.AddRange(ArgTypes(name, p));
        if (args.Count > 5)
            throw new ArgumentException($"helper {name}: its parameters take {args.Count} registers, more than 5");
        HelperReturnType returns = method.ReturnType == typeof(void) ? HelperReturnType.RET_VOID
            : IsInteger(method.ReturnType) || method.ReturnType == typeof(bool) ? HelperReturnType.RET_INTEGER
            : throw new ArgumentException($"helper {name}: return type {method.ReturnType.Name} is not an integer, bool or void");
        var prototype = new HelperPrototype(attribute.Id, returns, gplOnly: false, [.. args]) { Name = name };
        HostHelperPrototypes.Validate(prototype);
        if (!RuntimeFeature.IsDynamicCodeSupported)
            throw new PlatformNotSupportedException(
                $"helper {name}: [HostHelper] methods need dynamic code; register a BpfHelper delegate with AddHelper instead");
        return new HostHelperSpec(prototype, Emit(method, parameters, target, name));
    }

    // The registers one parameter takes, as prototype argument types.
    private static HelperArgType[] ArgTypes(string helper, ParameterInfo p)
    {
        Type t = p.ParameterType;
        if (t == typeof(RunContext)) return [];
        if (IsInteger(t) || t == typeof(bool)) return [HelperArgType.ARG_ANYTHING];
        if (t == typeof(ReadOnlySpan<byte>))
            return [HelperArgType.ARG_PTR_TO_MEM | BpfTypeFlag.MEM_RDONLY, HelperArgType.ARG_CONST_SIZE_OR_ZERO];
        if (t == typeof(Span<byte>))
            return [HelperArgType.ARG_PTR_TO_MEM | BpfTypeFlag.MEM_WRITE, HelperArgType.ARG_CONST_SIZE_OR_ZERO];
        if (t.IsByRef && t.GetElementType() is { } element && IsUnmanaged(element))
        {
            int size = SizeOf(element);
            HelperArgType fixedMem = HelperArgType.ARG_PTR_TO_FIXED_SIZE_MEM.WithSize(size);
            return p.IsOut ? [fixedMem | BpfTypeFlag.MEM_UNINIT | BpfTypeFlag.MEM_WRITE]
                : p.IsIn ? [fixedMem | BpfTypeFlag.MEM_RDONLY]
                : [fixedMem | BpfTypeFlag.MEM_WRITE];
        }
        throw new ArgumentException($"helper {helper}: parameter {p.Name} of type {t.Name} cannot come from a register " +
            "(use an integer, bool, ReadOnlySpan<byte>, Span<byte>, in/ref/out of an unmanaged struct, or RunContext)");
    }

    // (target?, RunContext run, ulong r1..r5) => (ulong)method(...)
    private static BpfHelper Emit(MethodInfo method, ParameterInfo[] parameters, object? target, string name)
    {
        Type[] signature = target is null ? AdapterArgs : [typeof(object), .. AdapterArgs];
        var dm = new DynamicMethod("host_helper_" + name, typeof(ulong), signature, typeof(HostHelperBinder).Module, skipVisibility: true);
        ILGenerator il = dm.GetILGenerator();
        int first = target is null ? 0 : 1; // index of the RunContext argument
        if (target is not null)
        {
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Castclass, method.DeclaringType!);
        }
        // Checked mode: memory arguments must lie in what the run may touch (RunContext.CheckAccess does nothing otherwise).
        int reg = 1;
        foreach (ParameterInfo p in parameters)
        {
            Type t = p.ParameterType;
            if (t == typeof(ReadOnlySpan<byte>) || t == typeof(Span<byte>))
            {
                EmitCheck(il, first, reg, size: null, t == typeof(Span<byte>) ? AccessKind.Store : AccessKind.Load);
                reg += 2;
            }
            else if (t.IsByRef)
            {
                EmitCheck(il, first, reg, SizeOf(t.GetElementType()!), p.IsIn ? AccessKind.Load : AccessKind.Store);
                reg++;
            }
            else if (t != typeof(RunContext))
            {
                reg++;
            }
        }
        reg = 1;
        foreach (ParameterInfo p in parameters)
        {
            Type t = p.ParameterType;
            if (t == typeof(RunContext))
            {
                Ldarg(il, first);
            }
            else if (t == typeof(ReadOnlySpan<byte>) || t == typeof(Span<byte>))
            {
                Ldarg(il, first + reg);
                il.Emit(OpCodes.Conv_U);
                Ldarg(il, first + reg + 1);
                il.Emit(OpCodes.Conv_I4); // the verifier bounds the size far below 2^31
                il.Emit(OpCodes.Newobj, t == typeof(Span<byte>) ? SpanOfBytes : ReadOnlySpanOfBytes);
                reg += 2;
            }
            else if (t.IsByRef)
            {
                Ldarg(il, first + reg++);
                il.Emit(OpCodes.Conv_U); // a native address passed as a managed reference: it points outside the GC heap
            }
            else
            {
                Ldarg(il, first + reg++);
                EmitNarrow(il, t);
            }
        }
        il.Emit(method.IsStatic ? OpCodes.Call : OpCodes.Callvirt, method);
        EmitWiden(il, method.ReturnType);
        il.Emit(OpCodes.Ret);
        return (BpfHelper)(target is null ? dm.CreateDelegate(typeof(BpfHelper)) : dm.CreateDelegate(typeof(BpfHelper), target));
    }

    // run.CheckAccess(r[reg], size ?? r[reg + 1], kind)
    private static void EmitCheck(ILGenerator il, int first, int reg, int? size, AccessKind kind)
    {
        Ldarg(il, first);
        Ldarg(il, first + reg);
        if (size is { } fixedSize)
        {
            il.Emit(OpCodes.Ldc_I8, (long)fixedSize);
        }
        else
        {
            Ldarg(il, first + reg + 1);
        }
        il.Emit(OpCodes.Ldc_I4, (int)kind);
        il.Emit(OpCodes.Callvirt, CheckAccess);
    }

    private static void Ldarg(ILGenerator il, int index) => il.Emit(OpCodes.Ldarg_S, (byte)index);

    // The u64 register as the C# parameter type (C's conversion: truncation; bool: non-zero).
    private static void EmitNarrow(ILGenerator il, Type t)
    {
        if (t.IsEnum) t = Enum.GetUnderlyingType(t);
        if (t == typeof(bool))
        {
            il.Emit(OpCodes.Ldc_I4_0);
            il.Emit(OpCodes.Conv_U8);
            il.Emit(OpCodes.Cgt_Un);
            return;
        }
        OpCode conv = Type.GetTypeCode(t) switch
        {
            TypeCode.SByte => OpCodes.Conv_I1,
            TypeCode.Byte => OpCodes.Conv_U1,
            TypeCode.Int16 => OpCodes.Conv_I2,
            TypeCode.UInt16 => OpCodes.Conv_U2,
            TypeCode.Int32 => OpCodes.Conv_I4,
            TypeCode.UInt32 => OpCodes.Conv_U4,
            _ => t == typeof(nint) ? OpCodes.Conv_I : t == typeof(nuint) ? OpCodes.Conv_U : OpCodes.Nop, // long, ulong
        };
        if (conv != OpCodes.Nop) il.Emit(conv);
    }

    // The C# result as r0: signed types sign-extend, void is 0.
    private static void EmitWiden(ILGenerator il, Type t)
    {
        if (t == typeof(void))
        {
            il.Emit(OpCodes.Ldc_I4_0);
            il.Emit(OpCodes.Conv_U8);
            return;
        }
        if (t.IsEnum) t = Enum.GetUnderlyingType(t);
        bool signed = Type.GetTypeCode(t) is TypeCode.SByte or TypeCode.Int16 or TypeCode.Int32 or TypeCode.Int64 || t == typeof(nint);
        il.Emit(signed ? OpCodes.Conv_I8 : OpCodes.Conv_U8);
    }

    private static bool IsInteger(Type t)
    {
        if (t.IsEnum) t = Enum.GetUnderlyingType(t);
        return Type.GetTypeCode(t) is TypeCode.SByte or TypeCode.Byte or TypeCode.Int16 or TypeCode.UInt16
            or TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Int64 or TypeCode.UInt64
            || t == typeof(nint) || t == typeof(nuint);
    }

    private static bool IsUnmanaged(Type t) => t.IsValueType && !(bool)typeof(RuntimeHelpers)
        .GetMethod(nameof(RuntimeHelpers.IsReferenceOrContainsReferences))!.MakeGenericMethod(t).Invoke(null, null)!;

    private static int SizeOf(Type t) => (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(t).Invoke(null, null)!;
}
