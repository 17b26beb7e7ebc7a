namespace BpfSharp.Runtime.Helpers;

/// <summary>
/// Registers the helpers this runtime implements, each under its kernel id and name (<c>bpf_map_lookup_elem</c>
/// = 1, ...): map, ring buffer, dynptr, perf event output, loop/for_each, tail call, spin lock, time, CPU/random, task, trace, string, probe-read,
/// packet (skb, checksum, XDP, redirect) and socket lookup helpers. Program types decide which of them a program may call (the verifier's job); the registry only
/// binds ids to implementations.
/// </summary>
public static class StandardHelpers
{
    /// <summary>Registers every standard helper into <paramref name="registry"/>, reading host values from <paramref name="env"/>.</summary>
    /// <returns>The registry, for chaining.</returns>
    /// <exception cref="ArgumentException">One of the ids is already registered.</exception>
    public static HelperRegistry Register(HelperRegistry registry, HelperEnvironment env)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(env);
        MapHelpers.Register(registry);
        RingBufHelpers.Register(registry);
        UserRingBufHelpers.Register(registry);
        DynptrHelpers.Register(registry);
        PerfEventHelpers.Register(registry);
        StackHelpers.Register(registry);
        CgroupHelpers.Register(registry);
        SockMapHelpers.Register(registry);
        SockHelpers.Register(registry);
        LoopHelpers.Register(registry);
        TailCall.Register(registry);
        SpinLockHelpers.Register(registry);
        TimeHelpers.Register(registry, env);
        CpuHelpers.Register(registry, env);
        ProcessHelpers.Register(registry, env);
        TraceHelpers.Register(registry, env);
        StringHelpers.Register(registry, env);
        ProbeHelpers.Register(registry, env);
        SkbHelpers.Register(registry);
        CsumHelpers.Register(registry);
        XdpHelpers.Register(registry);
        RedirectHelpers.Register(registry);
        return registry;
    }

    /// <summary>A new registry with every standard helper, reading host values from <paramref name="env"/> (a new default environment if null).</summary>
    public static HelperRegistry Create(HelperEnvironment? env = null) => Register(new HelperRegistry(), env ?? new HelperEnvironment());
}
