using BpfSharp.Elf.Btf;

namespace BpfSharp.Tests.Elf.Btf;

/// <summary>Sizes (btf_type_id_size), names, lookups and the per-kind views of a verified blob.</summary>
public class BtfTypeTests
{
    // One blob with every kind; the ids are fixed by the order below.
    private static readonly BtfBlob Blob = Build();

    private static BtfBlob Build()
    {
        var b = new BtfBuilder();
        b.Int("int", 4, BtfConstants.IntSigned);                        // [1]
        b.Ptr(1);                                                      // [2] int *
        b.Typedef("myint", 1);                                         // [3]
        b.Restrict(1);                                                 // [4]
        b.Volatile(4);                                                 // [5]
        b.Const(5);                                                    // [6]
        b.TypeTag("user", 6);                                          // [7] user const volatile restrict int
        b.Array(1, 1, 10);                                             // [8] int[10]
        b.Array(8, 1, 3);                                              // [9] int[3][10]
        b.Struct("pair", 16, ("a", 1, 0), ("p", 2, 64));               // [10]
        b.Union("either", 8, ("i", 1), ("p", 2));                      // [11]
        b.Raw(b.Str("sign"), BtfBuilder.Info(BtfKind.Enum, 2, true), 4,
            b.Str("NEG"), unchecked((uint)-5), b.Str("POS"), 7);       // [12] signed enum
        b.Enum64("wide", 8, ("TOP", 0x8000_0000_0000_0001ul));         // [13]
        b.Float("double", 8);                                          // [14]
        b.Fwd("opaque");                                               // [15]
        b.FuncProto(1, ("x", 1), ("", 0));                             // [16] int (int x, ...)
        b.Func("f", 16);                                               // [17]
        b.Var("counter", 9);                                           // [18]
        b.Datasec(".bss", 120, (18, 0, 120));                          // [19]
        b.DeclTag("tag", 10, 1);                                       // [20]
        b.Typedef("nothing", 0);                                       // [21] typedef void
        b.Int("bits", 1, bits: 3, offset: 2);                          // [22]
        return BtfBlob.Parse(b.Build());
    }

    public static TheoryData<uint, uint?> Sizes => new()
    {
        { 0, null }, { 1, 4 }, { 2, 8 }, { 3, 4 }, { 4, 4 }, { 7, 4 }, { 8, 40 }, { 9, 120 }, { 10, 16 },
        { 11, 8 }, { 12, 4 }, { 13, 8 }, { 14, 8 }, { 15, null }, { 16, null }, { 17, null }, { 18, 120 },
        { 19, 120 }, { 20, null }, { 21, null }, { 22, 1 }, { 23, null }, { 1_000_000, null },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void SizeOfFollowsModifiersArraysAndVars(uint id, uint? size) => Assert.Equal(size, Blob.SizeOf(id));

    [Fact]
    public void TypeCountIncludesVoid()
    {
        Assert.Equal(23, Blob.TypeCount);
        Assert.Equal(BtfKind.Unknown, Blob.GetType(0).Kind);
        Assert.Equal("", Blob.NameOf(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Blob.GetType(23));
    }

    [Fact]
    public void NamesAndLookups()
    {
        Assert.Equal("myint", Blob.NameOf(3));
        Assert.Equal("", Blob.NameOf(2));
        Assert.Equal("user", Blob.NameOf(7));
        Assert.Equal(10u, Blob.FindByName("pair", BtfKind.Struct));
        Assert.Null(Blob.FindByName("pair", BtfKind.Union));
        Assert.Null(Blob.FindByName("absent", BtfKind.Struct));
        Assert.Equal(1u, Blob.SkipModifiers(7));
        Assert.Equal(2u, Blob.SkipModifiers(2));
        Assert.Equal("[10] STRUCT pair", Blob.GetType(10).ToString());
    }

    [Fact]
    public void IntsArraysAndAggregates()
    {
        var i = Blob.GetType(22);
        Assert.Equal((1u, (byte)0, (byte)2, (byte)3), (i.Size, i.IntEncoding, i.IntOffset, i.IntBits));
        Assert.Equal(BtfConstants.IntSigned, Blob.GetType(1).IntEncoding);
        Assert.Equal(new BtfArray(8, 1, 3), Blob.GetType(9).Array);
        Assert.Equal([new BtfMember("a", 1, 0, 0), new BtfMember("p", 2, 64, 0)], Blob.GetType(10).Members);
        Assert.Equal(new BtfMember("p", 2, 0, 0), Blob.GetType(11).Member(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Blob.GetType(10).Member(2));
    }

    [Fact]
    public void EnumsFunctionsVariablesAndTags()
    {
        Assert.Equal([new BtfEnumValue("NEG", -5), new BtfEnumValue("POS", 7)], Blob.GetType(12).EnumValues);
        Assert.True(Blob.GetType(12).KindFlag);
        Assert.Equal(unchecked((long)0x8000_0000_0000_0001ul), Blob.GetType(13).EnumValue(0).Value);
        Assert.Equal([new BtfParam("x", 1), new BtfParam("", 0)], Blob.GetType(16).Params);
        Assert.Equal(16u, Blob.GetType(17).Type);
        Assert.Equal(BtfConstants.FuncGlobal, Blob.GetType(17).Vlen);
        Assert.Equal(BtfConstants.VarGlobalAllocated, Blob.GetType(18).VarLinkage);
        Assert.Equal(new BtfVarSecinfo(18, 0, 120), Blob.GetType(19).SecInfo(0));
        Assert.Equal(1, Blob.GetType(20).ComponentIndex);
        Assert.True(Blob.GetType(15).Kind == BtfKind.Fwd && !Blob.GetType(15).KindFlag);
    }

    [Fact]
    public void KindViewsRefuseOtherKinds()
    {
        Assert.Throws<InvalidOperationException>(() => Blob.GetType(1).Members);
        Assert.Throws<InvalidOperationException>(() => Blob.GetType(10).Array);
        Assert.Throws<InvalidOperationException>(() => Blob.GetType(0).IntBits);
        Assert.Throws<InvalidOperationException>(() => Blob.GetType(18).ComponentIndex);
    }
}
