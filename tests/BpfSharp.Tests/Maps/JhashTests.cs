using System.Text;
using BpfSharp.Maps;

namespace BpfSharp.Tests.Maps;

/// <summary>
/// The kernel's jhash is Bob Jenkins' lookup3 hashlittle on a little-endian machine: the self-test values
/// published in lookup3.c (driver5) hold for it. Bit-exactness with the kernel itself is proven by the
/// bloom filter differential test.
/// </summary>
public unsafe class JhashTests
{
    [Theory]
    [InlineData("", 0u, 0xdeadbeefu)]
    [InlineData("", 0xdeadbeefu, 0xbd5b7ddeu)]
    [InlineData("Four score and seven years ago", 0u, 0x17770551u)]
    [InlineData("Four score and seven years ago", 1u, 0xcd628161u)]
    public void Matches_the_lookup3_self_test(string text, uint initval, uint expected)
    {
        byte[] data = Encoding.ASCII.GetBytes(text);
        fixed (byte* p = data)
            Assert.Equal(expected, Jhash.Hash(p, (uint)data.Length, initval));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(12)]
    [InlineData(16)]
    [InlineData(40)]
    public void Jhash2_equals_jhash_on_whole_words(int bytes)
    {
        var data = new byte[bytes];
        new Random(bytes).NextBytes(data);
        fixed (byte* p = data)
            Assert.Equal(Jhash.Hash(p, (uint)bytes, 7), Jhash.Hash2((uint*)p, (uint)bytes / 4, 7));
    }
}
