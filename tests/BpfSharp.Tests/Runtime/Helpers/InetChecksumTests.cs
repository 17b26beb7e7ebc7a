using BpfSharp.Runtime.Helpers;

namespace BpfSharp.Tests.Runtime.Helpers;

/// <summary>The Internet checksum arithmetic of the packet helpers against RFC 1071's worked example and its identities.</summary>
public class InetChecksumTests
{
    // RFC 1071 section 3: the one's-complement sum of 00 01 f2 03 f4 f5 f6 f7 is ddf2 (big-endian words); read as
    // little-endian words, as the kernel's csum_partial reads memory on x86-64, it is f2dd.
    private static readonly byte[] Rfc1071 = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];

    [Fact]
    public void Partial_and_fold_give_the_rfc_1071_checksum()
    {
        Assert.Equal(0xf2dd, InetChecksum.From32To16(InetChecksum.Partial(Rfc1071, 0)));
        Assert.Equal(0x0d22, InetChecksum.Fold(InetChecksum.Partial(Rfc1071, 0)));
    }

    [Fact]
    public void A_checksum_over_data_and_its_checksum_folds_to_zero()
    {
        ushort check = InetChecksum.Fold(InetChecksum.Partial(Rfc1071, 0));
        byte[] whole = [.. Rfc1071, (byte)check, (byte)(check >> 8)];
        Assert.Equal(0, InetChecksum.Fold(InetChecksum.Partial(whole, 0)));
    }

    [Theory]
    [InlineData(0x1234, 0xabcd)]
    [InlineData(0x0000, 0xffff)]
    [InlineData(0xf2dd, 0x0001)]
    public void Replacing_a_word_updates_the_checksum_as_recomputing_would(int from, int to)
    {
        byte[] before = (byte[])Rfc1071.Clone();
        before[2] = (byte)from; before[3] = (byte)(from >> 8);
        byte[] after = (byte[])before.Clone();
        after[2] = (byte)to; after[3] = (byte)(to >> 8);
        ushort old = InetChecksum.Fold(InetChecksum.Partial(before, 0));
        ushort expected = InetChecksum.Fold(InetChecksum.Partial(after, 0));
        Assert.Equal(expected, InetChecksum.Replace2(old, (ushort)from, (ushort)to));
        Assert.Equal(expected, InetChecksum.Replace4(old, (uint)from, (uint)to));
    }
}
