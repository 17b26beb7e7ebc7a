using BpfSharp.Elf.Btf;
using BpfSharp.Isa;

namespace BpfSharp.Tests.Elf.Btf;

/// <summary>Every rule of the BTF verifier on a literal blob: accepted, or rejected with the kernel's errno and fault.</summary>
public class BtfVerifierTests
{
    public static TheoryData<BtfCase> Cases => BtfCases.Data(BtfCases.All());

    [Theory]
    [MemberData(nameof(Cases))]
    public void AcceptsOrRejectsLikeTheKernel(BtfCase c)
    {
        var blob = BtfBlob.TryParse(c.Blob(), out int errno, out string? error);
        Assert.Equal(c.Errno, errno);
        if (c.Errno == 0)
        {
            Assert.NotNull(blob);
            Assert.Null(error);
        }
        else
        {
            Assert.Null(blob);
            Assert.EndsWith(c.Fault, error);
        }
    }

    [Fact]
    public void ParseThrowsAFormatErrorNamingTheTypeAndKind()
    {
        var b = new BtfBuilder();
        b.Int("int", 4, BtfConstants.IntSigned);
        b.Int("long", 8, BtfConstants.IntSigned);
        b.Struct("foo", 8, ("bar", 0, 0), ("baz", 1, 32));
        var e = Assert.Throws<BpfFormatException>(() => BtfBlob.Parse(b.Build()));
        Assert.Equal("[3] STRUCT foo size=8 vlen=2: member bar type_id=0 bits_offset=0: Invalid type_id", e.Message);
        Assert.Equal(".BTF", e.Section);
        Assert.Equal(24 + 16 + 16, e.Offset); // the third record
    }

    [Fact]
    public void HeaderFaultsNameTheField()
    {
        var b = new BtfBuilder();
        b.Int("int", 4);
        byte[] blob = b.Build();
        blob[0] = 0x34;
        blob[1] = 0x12;
        var e = Assert.Throws<BpfFormatException>(() => BtfBlob.Parse(blob));
        Assert.Equal("btf header (magic 0x1234, expected 0xeb9f): Invalid magic", e.Message);
    }
}
