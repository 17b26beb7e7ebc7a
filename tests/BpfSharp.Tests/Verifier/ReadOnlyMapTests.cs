using BpfSharp.Isa;
using BpfSharp.Tests.Kernel;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Asm;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// A value read from a frozen BPF_F_RDONLY_PROG array is a known constant to the verifier (kernel:
/// bpf_map_is_rdonly + bpf_map_direct_read), which is how a <c>const volatile</c> in .rodata bounds a loop or
/// an index. The program below is safe only if the index it reads is known and at most 4; the live kernel
/// decides each case the same way.
/// </summary>
public class ReadOnlyMapTests
{
    public sealed record Case(string Name, uint Flags, bool Freeze, uint Index, uint MaxEntries, bool ViaLookup, int Errno);

    public static TheoryData<Case> Cases => new()
    {
        new("frozen read-only, index 4", MapFlags.BPF_F_RDONLY_PROG, true, 4, 1, false, 0),
        new("frozen read-only, through a lookup", MapFlags.BPF_F_RDONLY_PROG, true, 4, 1, true, 0),
        new("frozen read-only, index 8 is past the value", MapFlags.BPF_F_RDONLY_PROG, true, 8, 1, false, -Errno.EACCES),
        new("read-only but not frozen", MapFlags.BPF_F_RDONLY_PROG, false, 4, 1, false, -Errno.EACCES),
        new("frozen but writable by programs", 0, true, 4, 1, false, -Errno.EACCES),
        new("frozen read-only array of two entries", MapFlags.BPF_F_RDONLY_PROG, true, 4, 2, true, -Errno.ENOTSUPP),
    };

    // r1 = &value; r2 = *(u32 *)value (the index); r0 = *(u32 *)(value + index)
    private static Instruction[] Program(int fd, bool viaLookup) => viaLookup
        ? Asm.Program(
            StMem(Opcodes.BPF_W, R10, -4, 0),
            LdMapFd(R1, fd), Mov64(R2, R10), Add64(R2, -4), Call(1),
            JmpImm(Opcodes.BPF_JNE, R0, 0, "found"), Exit(),
            Label("found"), Mov64(R1, R0),
            LdxMem(Opcodes.BPF_W, R2, R1, 0), Add64(R1, R2), LdxMem(Opcodes.BPF_W, R0, R1, 0), Exit())
        : Asm.Program(
            LdMapValue(R1, fd, 0),
            LdxMem(Opcodes.BPF_W, R2, R1, 0), Add64(R1, R2), LdxMem(Opcodes.BPF_W, R0, R1, 0), Exit());

    [Theory]
    [MemberData(nameof(Cases))]
    public void Ours(Case c)
    {
        using var system = new BpfSystem();
        using var map = BpfMap.Create(system, new BpfMapSpec(BpfMapType.Array, 4, 8, c.MaxEntries) { Flags = c.Flags });
        map.Update(new byte[4], BitConverter.GetBytes((ulong)c.Index));
        if (c.Freeze) map.Freeze();
        int errno = 0;
        try
        {
            using var prog = BpfProgram.Load(system, BpfProgType.SocketFilter, Program(map.Fd, c.ViaLookup));
            Assert.Equal(0u, prog.TestRun(new byte[64]).Retval); // the value's second word is 0
        }
        catch (BpfException e)
        {
            errno = -e.Errno;
        }
        Assert.Equal(c.Errno, errno);
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void Kernel(Case c)
    {
        Skip.IfNot(KernelBpf.IsAvailable, "bpf() is not available to this process");
        int map = KernelBpf.MapCreate((uint)BpfMapType.Array, 4, 8, c.MaxEntries, c.Flags);
        Assert.True(map >= 0);
        try
        {
            Assert.Equal(0, KernelBpf.MapUpdate(map, new byte[4], BitConverter.GetBytes((ulong)c.Index)));
            if (c.Freeze) Assert.Equal(0, KernelMapOracle.Freeze(map));
            int fd = KernelBpf.ProgLoad((uint)BpfProgType.SocketFilter, Program(map, c.ViaLookup), out string log);
            if (fd >= 0) KernelBpf.Close(fd);
            Assert.True(c.Errno == Math.Min(fd, 0), $"kernel: {fd}\n{log}");
        }
        finally
        {
            KernelBpf.Close(map);
        }
    }
}
