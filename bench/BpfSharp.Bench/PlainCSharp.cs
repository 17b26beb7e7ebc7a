using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace BpfSharp.Bench;

/// <summary>The benchmark programs' algorithms in plain C#, on the same buffer, returning what the programs return.</summary>
internal static unsafe class PlainCSharp
{
    /// <summary>The C# version of the program named <paramref name="name"/>.</summary>
    public static delegate*<byte*, int, ulong> For(string name) => name switch
    {
        "tight loop" => &TightLoop,
        "IP checksum 1500 B" => &Checksum,
        "Eth/IPv4/TCP parser" => &Parser,
        "64-bit mem 1500 B" => &Memory64,
        "prandom helper x32" => &Helpers,
        "cpu id helper x32" => &CpuIds,
        _ => &Tiny,
    };

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ulong Tiny(byte* data, int length) => 2;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ulong CpuIds(byte* data, int length)
    {
        ulong sum = 0;
        for (int i = 0; i < 32; i++)
            sum += (ulong)Thread.GetCurrentProcessorId();
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ulong TightLoop(byte* data, int length)
    {
        ulong r0 = 1, r1 = 1000;
        const ulong k = 0x2545F491;
        do
        {
            r0 ^= r0 << 13;
            r0 ^= r0 >> 7;
            r0 = r0 * k + r1;
        } while (--r1 != 0);
        return r0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ulong Checksum(byte* data, int length)
    {
        ulong sum = 0;
        for (int i = 0; i + 2 <= length; i += 2)
            sum += *(ushort*)(data + i);
        sum = (sum & 0xffff) + (sum >> 16);
        sum = (sum & 0xffff) + (sum >> 16);
        return sum ^ 0xffff;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ulong Parser(byte* data, int length)
    {
        if (length < 14 || *(ushort*)(data + 12) != 0x0008) return 0;
        byte* ip = data + 14;
        if (length < 34) return 0;
        int ihl = (ip[0] & 0x0f) << 2;
        if (ihl < 20 || ip[9] != 6) return 0;
        byte* tcp = ip + ihl;
        if (tcp + 20 > data + length) return 0;
        return ((ulong)BinaryPrimitives.ReverseEndianness(*(ushort*)(tcp + 2)) << 8) | tcp[13];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ulong Memory64(byte* data, int length)
    {
        ulong r0 = 0;
        for (int i = 0; i + 8 <= length; i += 8)
        {
            ulong v = (*(ulong*)(data + i) ^ r0) + 1;
            *(ulong*)(data + i) = v;
            r0 += v;
        }
        return r0;
    }

    // The same work as the helper program with a generator inline instead of the helper call (the call is what
    // that program measures; this column is the floor).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ulong Helpers(byte* data, int length)
    {
        const int calls = 32;
        ulong state = *(ulong*)data | 1;
        ulong sum = 0;
        for (int i = 0; i < calls; i++)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            sum += (uint)state;
        }
        return sum;
    }
}
