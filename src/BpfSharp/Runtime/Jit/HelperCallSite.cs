using System.Reflection;
using System.Reflection.Emit;

namespace BpfSharp.Runtime.Jit;

/// <summary>
/// How JIT-compiled code calls one helper: directly to the method behind its <see cref="BpfHelper"/> delegate
/// (a static method, or an instance method on the delegate's target, which RyuJIT may even inline), with no
/// delegate invocation, boxing or allocation. Delegates that cannot be called that way (multicast, value-type
/// or generic targets, dynamic methods) are invoked through the delegate as the interpreter does.
/// </summary>
internal readonly struct HelperCallSite
{
    private static readonly MethodInfo Invoke = typeof(BpfHelper).GetMethod(nameof(BpfHelper.Invoke))!;

    private readonly MethodInfo _method;
    private readonly Type? _targetType; // non-null: the target object is pushed first
    private readonly int _targetIndex;
    private readonly bool _virtual;

    private HelperCallSite(MethodInfo method, Type? targetType, int targetIndex, bool isVirtual)
    {
        _method = method;
        _targetType = targetType;
        _targetIndex = targetIndex;
        _virtual = isVirtual;
    }

    /// <summary>True if the call goes straight to the helper's method (not through the delegate).</summary>
    public bool IsDirect => _method != Invoke;

    /// <summary>Binds <paramref name="helper"/>; a target object the call needs is appended to <paramref name="targets"/>.</summary>
    public static HelperCallSite Bind(BpfHelper helper, List<object> targets)
    {
        MethodInfo method = helper.Method;
        Type? declaring = method.DeclaringType;
        bool plain = helper.HasSingleTarget && method is not DynamicMethod && declaring is not null
            && !declaring.IsValueType && !declaring.ContainsGenericParameters && !method.ContainsGenericParameters
            && method.ReturnType == typeof(ulong) && method.GetParameters().Length == 6;
        if (plain && method.IsStatic && helper.Target is null)
            return new HelperCallSite(method, null, -1, false);
        if (plain && !method.IsStatic && helper.Target is not null)
        {
            targets.Add(helper.Target);
            return new HelperCallSite(method, declaring, targets.Count - 1, method.IsVirtual && !method.IsFinal);
        }
        targets.Add(helper);
        return new HelperCallSite(Invoke, typeof(BpfHelper), targets.Count - 1, true);
    }

    /// <summary>Before the arguments: pushes the call's target object, if it has one (<c>targets[i]</c>, argument 0 of the method).</summary>
    public void EmitTarget(IlWriter il)
    {
        if (_targetType is null) return;
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldc_I4, _targetIndex);
        il.Emit(OpCodes.Ldelem_Ref);
        il.Emit(OpCodes.Castclass, _targetType);
    }

    /// <summary>After the arguments (run, r1-r5): the call itself; leaves r0 on the stack.</summary>
    public void EmitCall(IlWriter il) => il.Emit(_virtual ? OpCodes.Callvirt : OpCodes.Call, _method);
}
