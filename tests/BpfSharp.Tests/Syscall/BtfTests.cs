using BpfSharp.Isa;
using BpfSharp.Maps;
using BpfSharp.Memory;
using BpfSharp.Syscall;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Syscall;

/// <summary>
/// BTF_LOAD and the BTF side of MAP_CREATE (kernel: map_check_btf) with the fake parser of
/// <see cref="FakeBtf"/>: sizes must match, a bpf_spin_lock or bpf_timer in the value is found
/// and allowed only where the kernel allows it (expected errno from the live kernel with the
/// same types).
/// </summary>
public unsafe class BtfTests
{
    private static int CreateWithBtf(IBpfTarget t, int btf, BpfMapType type, uint keySize, uint valueSize,
        uint keyType, uint valueType, uint flags = 0, uint maxEntries = 4)
    {
        BpfAttr attr = Calls.MapCreateAttr(type, keySize, valueSize, maxEntries, flags);
        attr.MapCreate.BtfFd = (uint)btf;
        attr.MapCreate.BtfKeyTypeId = keyType;
        attr.MapCreate.BtfValueTypeId = valueType;
        return t.Bpf(BpfCommand.MapCreate, ref attr);
    }

    private static Map MapOf(OurTarget t, int fd)
    {
        Assert.Equal(0, t.System.GetObject(fd, out BpfObject? obj));
        obj!.Release();
        return Assert.IsAssignableFrom<Map>(obj);
    }

    [SkippableTheory]
    [InlineData("ours")]
    [InlineData("kernel")]
    public void An_invalid_blob_is_EINVAL_with_the_reason_in_the_log(string target)
    {
        using IBpfTarget t = Targets.Create(target);
        Assert.Equal(-Errno.EINVAL, t.LoadBtf(new byte[24], out string log));
        Assert.EndsWith("Invalid magic", log);
    }

    [Fact]
    public void A_loaded_blob_has_an_id_and_info()
    {
        using var t = new OurTarget();
        int fd = t.LoadBtf(FakeBtf.Blob, out string log);
        Assert.True(fd >= 0, log);
        byte[] copy = new byte[10];
        byte name = 0xff;
        BpfBtfInfo info = default;
        fixed (byte* c = copy)
        {
            info.Btf = (ulong)c;
            info.BtfSize = (uint)copy.Length;
            info.Name = (ulong)&name;
            info.NameLen = 1;
            BpfAttr attr = default;
            attr.Info.BpfFd = (uint)fd;
            attr.Info.InfoLen = (uint)sizeof(BpfBtfInfo);
            attr.Info.Info = (ulong)&info;
            Assert.Equal(0, t.Bpf(BpfCommand.ObjGetInfoByFd, ref attr));
        }
        Assert.Equal(1u, info.Id);
        Assert.Equal((uint)FakeBtf.Blob.Length, info.BtfSize);
        Assert.Equal(FakeBtf.Blob[..10], copy);
        Assert.Equal(0u, info.NameLen); // loaded BTF has no name
        Assert.Equal(0, name);

        BpfAttr byId = default;
        byId.GetId.BtfId = info.Id;
        Assert.True(t.Bpf(BpfCommand.BtfGetFdById, ref byId) >= 0);
        byId = default;
        Assert.Equal(0, t.Bpf(BpfCommand.BtfGetNextId, ref byId));
        Assert.Equal(info.Id, byId.GetId.NextId);
    }

    [Fact]
    public void A_spin_lock_in_the_value_is_found_and_allows_BPF_F_LOCK()
    {
        using var t = new OurTarget();
        int btf = t.LoadBtf(FakeBtf.Blob, out _);
        int fd = CreateWithBtf(t, btf, BpfMapType.Hash, 4, 8, FakeBtf.Int, FakeBtf.ValWithLock);
        Assert.True(fd >= 0);
        MapAttributes a = MapOf(t, fd).Attributes;
        Assert.Equal(4, a.SpinLockOffset);
        Assert.Equal(-1, a.TimerOffset);
        Assert.Equal(FakeBtf.ValWithLock, a.BtfValueTypeId);
        Assert.Equal(0, t.Update(fd, 1, 0x0000_0000_0000_0005, MapFlags.BPF_F_LOCK));
        Assert.Equal(0, t.Lookup(fd, 1, out ulong value, MapFlags.BPF_F_LOCK));
        Assert.Equal(5ul, value);
        Assert.Equal(-Errno.EINVAL, t.Lookup(fd, 1, out _, MapFlags.BPF_F_LOCK | 1));
        Assert.Equal(-Errno.ENOTSUPP, t.Freeze(fd)); // maps with a spin lock cannot be frozen
        Assert.Equal(0, t.MapInfo(fd, out BpfMapInfo info));
        Assert.Equal((1u, FakeBtf.Int, FakeBtf.ValWithLock), (info.BtfId, info.BtfKeyTypeId, info.BtfValueTypeId));
    }

    // Each expected errno is what Linux 6.18 returned for the same BTF types and attributes.
    [Theory]
    [InlineData(BpfMapType.Hash, 4u, 8u, FakeBtf.Int, FakeBtf.ValWithLock, 0u, 0)]
    [InlineData(BpfMapType.Hash, 4u, 8u, 0u, FakeBtf.ValWithLock, 0u, -Errno.EINVAL)]        // hash needs a key type
    [InlineData(BpfMapType.Hash, 4u, 12u, FakeBtf.Int, FakeBtf.ValWithLock, 0u, -Errno.EINVAL)] // value size differs
    [InlineData(BpfMapType.Hash, 8u, 8u, FakeBtf.Int, FakeBtf.ValWithLock, 0u, -Errno.EINVAL)]  // key size differs
    [InlineData(BpfMapType.Hash, 4u, 8u, FakeBtf.Int, 99u, 0u, -Errno.EINVAL)]                 // no such type
    [InlineData(BpfMapType.Hash, 4u, 8u, 99u, FakeBtf.ValWithLock, 0u, -Errno.EINVAL)]
    [InlineData(BpfMapType.Hash, 4u, 8u, FakeBtf.Int, FakeBtf.ValWithLock, MapFlags.BPF_F_RDONLY_PROG, -Errno.EACCES)]
    [InlineData(BpfMapType.PercpuHash, 4u, 8u, FakeBtf.Int, FakeBtf.ValWithLock, 0u, -Errno.EOPNOTSUPP)]
    [InlineData(BpfMapType.LruHash, 4u, 8u, FakeBtf.Int, FakeBtf.ValWithLock, 0u, -Errno.EOPNOTSUPP)]
    [InlineData(BpfMapType.PercpuHash, 4u, 24u, FakeBtf.Int, FakeBtf.ValWithTimer, 0u, -Errno.EOPNOTSUPP)]
    [InlineData(BpfMapType.Array, 4u, 8u, 0u, FakeBtf.ValWithLock, 0u, -Errno.EINVAL)]       // keyless only for single-entry arrays
    [InlineData(BpfMapType.Hash, 4u, 12u, FakeBtf.Int, FakeBtf.TwoLocks, 0u, 0)]  // the live kernel creates the map, without a lock field, when the search finds several
    public void Map_btf_checks(BpfMapType type, uint keySize, uint valueSize, uint keyType, uint valueType, uint flags, int expected)
    {
        using var t = new OurTarget();
        int btf = t.LoadBtf(FakeBtf.Blob, out _);
        int rc = CreateWithBtf(t, btf, type, keySize, valueSize, keyType, valueType, flags);
        Assert.Equal(expected, rc < 0 ? rc : 0);
    }

    [Fact]
    public void A_timer_in_the_value_is_found()
    {
        using var t = new OurTarget();
        int btf = t.LoadBtf(FakeBtf.Blob, out _);
        int fd = CreateWithBtf(t, btf, BpfMapType.Hash, 4, 24, FakeBtf.Int, FakeBtf.ValWithTimer);
        Assert.Equal(8, MapOf(t, fd).Attributes.TimerOffset);
        Assert.Equal(-Errno.ENOTSUPP, t.Freeze(fd));
    }

    [Fact]
    public void Btf_fd_must_be_btf()
    {
        using var t = new OurTarget();
        int notBtf = t.CreateArray();
        Assert.Equal(-Errno.EINVAL, CreateWithBtf(t, notBtf, BpfMapType.Hash, 4, 8, FakeBtf.Int, FakeBtf.ValWithLock));
        Assert.Equal(-Errno.EINVAL, CreateWithBtf(t, 0, BpfMapType.Hash, 4, 8, FakeBtf.Int, FakeBtf.ValWithLock)); // stdin
    }

    [Fact]
    public void A_map_keeps_its_btf_alive()
    {
        using var t = new OurTarget();
        int btf = t.LoadBtf(FakeBtf.Blob, out _);
        int fd = CreateWithBtf(t, btf, BpfMapType.Hash, 4, 8, FakeBtf.Int, FakeBtf.ValWithLock);
        Assert.Equal(0, t.Close(btf));
        BpfAttr byId = default;
        byId.GetId.BtfId = 1;
        int again = t.Bpf(BpfCommand.BtfGetFdById, ref byId);
        Assert.True(again >= 0);
        t.Close(again);
        t.Close(fd);
        Assert.Equal(-Errno.ENOENT, t.Bpf(BpfCommand.BtfGetFdById, ref byId));
    }

    [Fact]
    public void A_btf_log_too_small_is_ENOSPC()
    {
        using var t = new OurTarget();
        Assert.Equal(-Errno.ENOSPC, t.LoadBtf(new byte[24], out string log, logSize: 4));
        Assert.Equal("gic", log); // the end of "Invalid magic"
    }

    [Fact]
    public void A_program_keeps_its_btf()
    {
        using var t = new OurTarget();
        int btf = t.LoadBtf(FakeBtf.Blob, out _);
        Instruction[] insns = [Asm.Mov64(Reg.R0, 0), Asm.Exit()];
        byte[] funcInfo = new byte[8];
        fixed (Instruction* ip = insns)
        fixed (byte* lic = "GPL\0"u8)
        fixed (byte* fi = funcInfo)
        {
            BpfAttr attr = default;
            attr.ProgLoad.ProgType = (uint)BpfProgType.SocketFilter;
            attr.ProgLoad.InsnCnt = 2;
            attr.ProgLoad.Insns = (ulong)ip;
            attr.ProgLoad.License = (ulong)lic;
            attr.ProgLoad.ProgBtfFd = (uint)btf;
            attr.ProgLoad.FuncInfo = (ulong)fi;
            attr.ProgLoad.FuncInfoCnt = 1;
            attr.ProgLoad.FuncInfoRecSize = 8;
            int prog = t.Bpf(BpfCommand.ProgLoad, ref attr);
            Assert.True(prog >= 0);
            t.Close(btf);
            Assert.Equal(0, t.ProgInfo(prog, out BpfProgInfo info));
            Assert.Equal(1u, info.BtfId);
        }
    }
}
