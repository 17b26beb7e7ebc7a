namespace BpfSharp.Runtime.Helpers;

/// <summary>
/// The generator behind bpf_get_prandom_u32: SplitMix64 (a fast, well-mixed 64-bit sequence), one per
/// thread. Not cryptographic, as the kernel's prandom is not.
/// </summary>
internal sealed class Prandom
{
    private ulong _state;

    public Prandom(ulong seed) => _state = seed;

    /// <summary>The next 32 random bits.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public uint NextU32()
    {
        ulong z = _state += 0x9E37_79B9_7F4A_7C15;
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EB;
        return (uint)((z ^ (z >> 31)) >> 32);
    }
}
