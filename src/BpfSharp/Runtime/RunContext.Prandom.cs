using System.Runtime.CompilerServices;
using BpfSharp.Runtime.Helpers;

namespace BpfSharp.Runtime;

// bpf_get_prandom_u32's generator, cached on the context: the environment keeps one generator per thread (the
// kernel keeps one per CPU); looking it up in the thread-local on every call costs more than the generator itself.
public sealed partial class RunContext
{
    private HelperEnvironment? _prandomOwner;
    private Prandom? _prandom;
    private int _prandomThread;

    /// <summary>The calling thread's generator of <paramref name="env"/> (the one <see cref="HelperEnvironment"/> hands out).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Prandom PrandomOf(HelperEnvironment env) =>
        ReferenceEquals(_prandomOwner, env) && _prandomThread == Environment.CurrentManagedThreadId
            ? _prandom!
            : CachePrandom(env);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private Prandom CachePrandom(HelperEnvironment env)
    {
        _prandom = env.Random; // the thread's own: a context that moves to another thread takes that thread's
        _prandomThread = Environment.CurrentManagedThreadId;
        _prandomOwner = env;
        return _prandom;
    }
}
