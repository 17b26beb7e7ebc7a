using System.Runtime.CompilerServices;

namespace BpfSharp.Runtime;

/// <summary>
/// The BPF_ATOMIC operations (RFC 9669 section 5.3) as real atomics on native memory. Each
/// returns the old value of the memory (zero-extended for the 32-bit forms); the engine stores
/// it where the instruction says (src for FETCH and xchg, r0 for cmpxchg) or drops it.
/// The address must be aligned to the operand size.
/// </summary>
public static unsafe class AtomicSemantics
{
    /// <summary>Load-acquire of 1, 2, 4 or 8 bytes (<paramref name="size"/>), zero-extended: no later access moves before it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong LoadAcquire(ulong address, int size) => size switch
    {
        1 => Volatile.Read(ref *(byte*)address),
        2 => Volatile.Read(ref *(ushort*)address),
        4 => Volatile.Read(ref *(uint*)address),
        _ => Volatile.Read(ref *(ulong*)address),
    };

    /// <summary>Store-release of the low 1, 2, 4 or 8 bytes (<paramref name="size"/>) of <paramref name="value"/>: no earlier access moves after it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreRelease(ulong address, int size, ulong value)
    {
        switch (size)
        {
            case 1: Volatile.Write(ref *(byte*)address, (byte)value); break;
            case 2: Volatile.Write(ref *(ushort*)address, (ushort)value); break;
            case 4: Volatile.Write(ref *(uint*)address, (uint)value); break;
            default: Volatile.Write(ref *(ulong*)address, value); break;
        }
    }

    /// <summary>atomic_fetch_add on 8 bytes.</summary>
    /// <remarks>
    /// Never inlined, as no read-modify-write atomic here is: inlined into a JIT-compiled program, RyuJIT (.NET 10,
    /// x64) produced wrong registers and memory for some programs that the interpreter ran correctly (the randomized
    /// differential test, Release builds; which programs depends on the process's dynamic PGO data). Called, each
    /// method is compiled on its own and is correct; an atomic costs far more than the call.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong FetchAdd64(ulong address, ulong value) => Interlocked.Add(ref *(ulong*)address, value) - value;

    /// <summary>atomic_fetch_add on 4 bytes.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong FetchAdd32(ulong address, ulong value) => Interlocked.Add(ref *(uint*)address, (uint)value) - (uint)value;

    /// <summary>atomic_fetch_or on 8 bytes.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong FetchOr64(ulong address, ulong value) => Interlocked.Or(ref *(ulong*)address, value);

    /// <summary>atomic_fetch_or on 4 bytes.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong FetchOr32(ulong address, ulong value) => Interlocked.Or(ref *(uint*)address, (uint)value);

    /// <summary>atomic_fetch_and on 8 bytes.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong FetchAnd64(ulong address, ulong value) => Interlocked.And(ref *(ulong*)address, value);

    /// <summary>atomic_fetch_and on 4 bytes.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong FetchAnd32(ulong address, ulong value) => Interlocked.And(ref *(uint*)address, (uint)value);

    /// <summary>atomic_fetch_xor on 8 bytes (a compare-exchange loop; .NET has no Interlocked.Xor).</summary>
    public static ulong FetchXor64(ulong address, ulong value)
    {
        ref ulong location = ref *(ulong*)address;
        ulong old = Volatile.Read(ref location);
        while (true)
        {
            ulong seen = Interlocked.CompareExchange(ref location, old ^ value, old);
            if (seen == old) return old;
            old = seen;
        }
    }

    /// <summary>atomic_fetch_xor on 4 bytes.</summary>
    public static ulong FetchXor32(ulong address, ulong value)
    {
        ref uint location = ref *(uint*)address;
        uint old = Volatile.Read(ref location);
        while (true)
        {
            uint seen = Interlocked.CompareExchange(ref location, old ^ (uint)value, old);
            if (seen == old) return old;
            old = seen;
        }
    }

    /// <summary>atomic_xchg on 8 bytes.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong Exchange64(ulong address, ulong value) => Interlocked.Exchange(ref *(ulong*)address, value);

    /// <summary>atomic_xchg on 4 bytes.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong Exchange32(ulong address, ulong value) => Interlocked.Exchange(ref *(uint*)address, (uint)value);

    /// <summary>atomic_cmpxchg on 8 bytes: store <paramref name="value"/> if the memory equals <paramref name="expected"/> (r0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong CompareExchange64(ulong address, ulong value, ulong expected) =>
        Interlocked.CompareExchange(ref *(ulong*)address, value, expected);

    /// <summary>atomic_cmpxchg on 4 bytes, comparing against the low 32 bits of <paramref name="expected"/>.</summary>
    /// <remarks>
    /// Never inlined: inlined, RyuJIT may keep the comparand in RAX with its upper half, drop the 32-bit move before
    /// <c>lock cmpxchg</c>, and take the result as zero-extended; after a successful exchange (EAX not written) the
    /// upper half of r0 then survives. As a call, the comparand arrives in another register and is moved into EAX
    /// with a 32-bit move, which clears the upper half.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ulong CompareExchange32(ulong address, ulong value, ulong expected) =>
        Interlocked.CompareExchange(ref *(uint*)address, (uint)value, (uint)expected);
}
