using BpfSharp.Elf.Btf;
using BpfSharp.Tests.Kernel;

namespace BpfSharp.Tests.Elf.Btf;

/// <summary>
/// Where the kernel finds a bpf_spin_lock or bpf_timer in a map value (btf_parse_fields, kernel 6.18),
/// checked against the live kernel: a special field's bytes read back as zeros from a map lookup.
/// </summary>
public class BtfFieldTests
{
    /// <summary>A value type to search: the blob, the value's id and size, the struct looked for and the answer.</summary>
    public sealed record FieldCase(string Name, string StructName, int Expected, Func<(byte[] Blob, uint Value, uint Size)> Build)
    {
        /// <summary>False where the kernel would hit a WARN_ON (a lock at two nesting levels).</summary>
        public bool KernelSafe { get; init; } = true;
        public override string ToString() => Name;
    }

    // Every blob starts with: [1] int, [2] unsigned int, [3] long, [4] struct bpf_spin_lock { unsigned int val; }.
    private static FieldCase Lock(string name, int expected, uint size, Func<BtfBuilder, uint> value, bool kernelSafe = true) =>
        new(name, "bpf_spin_lock", expected, () =>
        {
            var b = Base();
            uint id = value(b);
            return (b.Build(), id, size);
        }) { KernelSafe = kernelSafe };

    private static BtfBuilder Base()
    {
        var b = new BtfBuilder();
        b.Int("int", 4, BtfConstants.IntSigned);
        b.Int("unsigned int", 4);
        b.Int("long", 8, BtfConstants.IntSigned);
        b.Struct("bpf_spin_lock", 4, ("val", 2, 0));
        return b;
    }

    public static TheoryData<FieldCase> Cases => new()
    {
        Lock("int, lock, long", 4, 16, b => b.Struct("value", 16, ("a", 1, 0), ("l", 4, 32), ("b", 3, 64))),
        Lock("no lock", BtfBlob.FieldNotFound, 8, b => b.Struct("value", 8, ("a", 1, 0), ("b", 1, 32))),
        // Two direct lock members are rejected at BTF_LOAD already; wrapped in arrays of one they load.
        Lock("two locks", BtfBlob.FieldDuplicate, 16, b =>
        {
            uint one = b.Array(4, 1, 1);
            return b.Struct("value", 16, ("l1", one, 0), ("l2", one, 32), ("b", 3, 64));
        }),
        Lock("lock in a nested struct", 12, 16, b =>
        {
            uint inner = b.Struct("inner", 8, ("x", 1, 0), ("l", 4, 32));
            return b.Struct("value", 16, ("a", 3, 0), ("in", inner, 64));
        }),
        Lock("lock two structs deep", 8, 12, b =>
        {
            uint deep = b.Struct("deep", 4, ("l", 4, 0));
            uint inner = b.Struct("inner", 8, ("x", 1, 0), ("d", deep, 32));
            return b.Struct("value", 12, ("a", 1, 0), ("in", inner, 32));
        }),
        Lock("lock in an array of one", 4, 8, b =>
        {
            uint array = b.Array(4, 1, 1);
            return b.Struct("value", 8, ("a", 1, 0), ("l", array, 32));
        }),
        Lock("lock in an array of two", BtfBlob.FieldInvalid, 12, b =>
        {
            uint array = b.Array(4, 1, 2);
            return b.Struct("value", 12, ("a", 1, 0), ("l", array, 32));
        }),
        Lock("lock in an empty array", BtfBlob.FieldNotFound, 4, b =>
        {
            uint array = b.Array(4, 1, 0);
            return b.Struct("value", 4, ("a", 1, 0), ("l", array, 32));
        }),
        Lock("struct with a lock in an array of two", BtfBlob.FieldInvalid, 16, b =>
        {
            uint inner = b.Struct("inner", 8, ("x", 1, 0), ("l", 4, 32));
            uint array = b.Array(inner, 1, 2);
            return b.Struct("value", 16, ("in", array, 0));
        }),
        Lock("lock at byte 2", BtfBlob.FieldNotFound, 8, b =>
        {
            uint c = b.Int("char", 1);
            uint one = b.Array(4, 1, 1);
            return b.Struct("value", 8, ("c", c, 0), ("l", one, 16));
        }),
        Lock("bitfield before the lock", BtfBlob.FieldInvalid, 8, b =>
        {
            uint one = b.Array(4, 1, 1);
            return b.StructKflag("value", 8, ("a", 1, 0, 3), ("b", 1, 3, 5), ("l", one, 32, 0));
        }),
        Lock("lock through a typedef", BtfBlob.FieldNotFound, 8, b =>
        {
            uint t = b.Typedef("lock_t", 4);
            return b.Struct("value", 8, ("a", 1, 0), ("l", t, 32));
        }),
        Lock("const lock", BtfBlob.FieldNotFound, 8, b =>
        {
            uint c = b.Const(4);
            return b.Struct("value", 8, ("a", 1, 0), ("l", c, 32));
        }),
        Lock("lock in a union", BtfBlob.FieldNotFound, 8, b =>
        {
            uint u = b.Union("u", 4, ("l", 4), ("x", 1));
            return b.Struct("value", 8, ("a", 1, 0), ("u", u, 32));
        }),
        Lock("value named through a typedef", 4, 16, b =>
        {
            uint v = b.Struct("value", 16, ("a", 1, 0), ("l", 4, 32), ("b", 3, 64));
            return b.Typedef("value_t", v);
        }),
        Lock("value is an int", BtfBlob.FieldNotFound, 4, _ => 1),
        Lock("locks at two nesting levels", BtfBlob.FieldDuplicate, 12, b =>
        {
            uint inner = b.Struct("inner", 8, ("x", 1, 0), ("l", 4, 32));
            return b.Struct("value", 12, ("l", 4, 0), ("in", inner, 32));
        }, kernelSafe: false),
        new("timer after a long", "bpf_timer", 8, () =>
        {
            var b = Base();
            uint u64 = b.Int("unsigned long", 8);
            uint timer = b.Struct("bpf_timer", 16, ("a", u64, 0), ("b", u64, 64));
            uint v = b.Struct("value", 24, ("a", 3, 0), ("t", timer, 64));
            return (b.Build(), v, 24u);
        }),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void FindsTheFieldLikeTheKernel(FieldCase c)
    {
        var (blob, value, _) = c.Build();
        Assert.Equal(c.Expected, BtfBlob.Parse(blob).FindStructMember(value, c.StructName));
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void KernelPlacesTheFieldThere(FieldCase c)
    {
        Skip.IfNot(KernelBpf.IsAvailable, "bpf() is not available (needs Linux x86-64 and root)");
        Skip.IfNot(c.KernelSafe, "the kernel warns (WARN_ON) on this layout");
        var (blob, value, size) = c.Build();
        byte[]? back = KernelMapValueOracle.StoreAndLoad(blob, 1, value, size, out int error, out string step);
        Assert.True(back is not null, $"kernel error {error} in {step}");
        int fieldSize = c.StructName == "bpf_spin_lock" ? 4 : 16;
        var zeros = Enumerable.Range(0, back!.Length).Where(i => back[i] == 0).ToArray();
        var expected = c.Expected >= 0 ? Enumerable.Range(c.Expected, fieldSize).ToArray() : [];
        Assert.Equal(expected, zeros);
    }

    [Fact]
    public void DataSectionVariablesAreSearched()
    {
        var b = Base();
        b.Var("counter", 3);
        b.Var("lock", 4);
        uint sec = b.Datasec(".bss", 12, (5, 0, 8), (6, 8, 4));
        Assert.Equal(8, BtfBlob.Parse(b.Build()).FindStructMember(sec, "bpf_spin_lock"));
    }

    [Fact]
    public void UnknownStructNamesAreRefused()
    {
        var blob = BtfBlob.Parse(Base().Build());
        Assert.Throws<ArgumentException>(() => blob.FindStructMember(4, "my_lock"));
    }
}
