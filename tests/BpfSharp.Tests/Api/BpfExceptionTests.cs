using BpfSharp.Isa;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Reg;
using static BpfSharp.Tests.Api.ApiKit;

namespace BpfSharp.Tests.Api;

/// <summary>
/// Errors of the typed API are <see cref="BpfException"/>s carrying the errno the bpf(2) man page and
/// the kernel give for the case (positive), with the command's kernel name in the message.
/// </summary>
public class BpfExceptionTests
{
    public static TheoryData<string, int, Action<BpfSystem>> Cases => new()
    {
        // bpf(2): EINVAL for bad attributes.
        { "hash with key_size 0", Errno.EINVAL, s => BpfMap.Create(s, BpfMapType.Hash, 0, 8, 4) },
        { "hash with max_entries 0", Errno.EINVAL, s => BpfMap.Create(s, BpfMapType.Hash, 4, 8, 0) },
        { "array with a key other than 4 bytes", Errno.EINVAL, s => BpfMap.Create(s, BpfMapType.Array, 8, 8, 4) },
        { "unknown map type", Errno.EINVAL, s => BpfMap.Create(s, (BpfMapType)9999, 4, 4, 4) },
        { "invalid name character", Errno.EINVAL, s => BpfMap.Create(s, BpfMapType.Hash, 4, 8, 4, name: "a-b") },
        { "queue with a key", Errno.EINVAL, s => BpfMap.Create(s, BpfMapType.Queue, 4, 8, 4) },
        // bpf(2): EEXIST for BPF_NOEXIST on an existing key; ENOENT for BPF_EXIST on a missing one.
        { "BPF_NOEXIST on an existing key", Errno.EEXIST, s => Hash(s, 4, m => { m[1] = 1; m.Update(1, 2, MapFlags.BPF_NOEXIST); }) },
        { "BPF_EXIST on a missing key", Errno.ENOENT, s => Hash(s, 4, m => m.Update(1, 2, MapFlags.BPF_EXIST)) },
        { "unknown update flags", Errno.EINVAL, s => Hash(s, 4, m => m.Update(1, 2, 8)) },
        // E2BIG when the map is full.
        { "hash full", Errno.E2BIG, s => Hash(s, 2, m => { m[1] = 1; m[2] = 2; m[3] = 3; }) },
        { "array index past max_entries", Errno.E2BIG, s => Array(s, m => m[4] = 1) },
        // Arrays: delete is EINVAL, and BPF_NOEXIST always EEXIST (every element exists).
        { "array delete", Errno.EINVAL, s => Array(s, m => m.Remove(0)) },
        { "array BPF_NOEXIST", Errno.EEXIST, s => Array(s, m => m.Update(0, 1, MapFlags.BPF_NOEXIST)) },
        // kernel: lookup-and-delete is -ENOTSUPP on map types without it.
        { "array lookup and delete", Errno.ENOTSUPP, s => Array(s, m => m.Remove(0, out _)) },
        // BPF_F_LOCK needs a bpf_spin_lock in the value.
        { "BPF_F_LOCK without a spin lock", Errno.EINVAL, s => Hash(s, 4, m => m.TryGetValue(1, out _, MapFlags.BPF_F_LOCK)) },
        // Batches: ENOTSUPP where the map type has none; a delete batch stops at a missing key.
        { "array delete batch", Errno.ENOTSUPP, s => Array(s, m => m.DeleteBatch([0])) },
        { "hash delete batch of a missing key", Errno.ENOENT, s => Hash(s, 4, m => m.DeleteBatch([1])) },
        // Program loads: EINVAL with the reason in the message.
        { "program with a bad opcode", Errno.EINVAL, s => BpfProgram.Load(s, BpfProgType.SocketFilter, [Instruction.FromRaw(0xff), Asm.Exit()]) },
        { "program with no instructions", Errno.E2BIG, s => BpfProgram.Load(s, BpfProgType.SocketFilter, []) },
        { "program of type unspec", Errno.EINVAL, s => BpfProgram.Load(s, BpfProgType.Unspec, [Asm.Mov64Imm(R0, 0), Asm.Exit()]) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Errors_carry_the_kernel_errno(string name, int errno, Action<BpfSystem> operation)
    {
        using BpfSystem system = NewSystem();
        var e = Assert.Throws<BpfException>(() => operation(system));
        Assert.True(errno == e.Errno, $"{name}: expected {Errno.Name(errno)}, got {e.ErrnoName} ({e.Message})");
        Assert.Contains(Errno.Name(errno), e.Message);
    }

    [Fact]
    public void The_message_names_the_command_as_the_kernel_does()
    {
        using BpfSystem system = NewSystem();
        using var map = BpfMap<int, long>.Create(system, BpfMapType.Hash, 4);
        var e = Assert.Throws<BpfException>(() => map.Update(1, 1, MapFlags.BPF_EXIST));
        Assert.Equal("BPF_MAP_UPDATE_ELEM", e.Operation);
        Assert.Equal("BPF_MAP_UPDATE_ELEM: ENOENT", e.Message);
    }

    [Fact]
    public void A_failed_load_carries_the_log()
    {
        using BpfSystem system = NewSystem();
        var e = Assert.Throws<BpfException>(() =>
            BpfProgram.Load(system, BpfProgType.SocketFilter, [Asm.Mov64Imm(R0, 0), Instruction.FromRaw(0xff), Asm.Exit()]));
        Assert.Equal("BPF_PROG_LOAD", e.Operation);
        Assert.Contains("unknown opcode ff", e.Message); // the verifier log's line, in the kernel's words
    }

    [Fact]
    public void Negative_and_positive_errnos_give_the_same_exception()
    {
        Assert.Equal(Errno.ENOENT, new BpfException(-Errno.ENOENT, "op").Errno);
        Assert.Equal(Errno.ENOENT, new BpfException(Errno.ENOENT, "op").Errno);
        Assert.Equal("op: ENOENT: more", new BpfException(Errno.ENOENT, "op", "more").Message);
    }

    private static void Hash(BpfSystem system, uint maxEntries, Action<BpfMap<int, long>> action)
    {
        using var map = BpfMap<int, long>.Create(system, BpfMapType.Hash, maxEntries);
        action(map);
    }

    private static void Array(BpfSystem system, Action<BpfMap<int, long>> action)
    {
        using var map = BpfMap<int, long>.Create(system, BpfMapType.Array, 4);
        action(map);
    }
}
