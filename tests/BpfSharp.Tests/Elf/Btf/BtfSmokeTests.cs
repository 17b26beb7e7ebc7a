using BpfSharp.Elf.Btf;

namespace BpfSharp.Tests.Elf.Btf;

public class BtfSmokeTests
{
    [Fact]
    public void SpinLockValue()
    {
        var b = new BtfBuilder();
        uint i = b.Int("int", 4, BtfConstants.IntSigned);
        uint u = b.Int("unsigned int", 4);
        uint l = b.Int("long", 8, BtfConstants.IntSigned);
        uint lk = b.Struct("bpf_spin_lock", 4, ("val", u, 0));
        uint v = b.Struct("value", 16, ("a", i, 0), ("l", lk, 32), ("b", l, 64));
        var blob = BtfBlob.Parse(b.Build());
        Assert.Equal(16u, blob.SizeOf(v));
        Assert.Equal(4, blob.FindStructMember(v, "bpf_spin_lock"));
    }
}
