using BpfSharp.Isa;
using BpfSharp.Tests.Kernel;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Asm;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Maps;

/// <summary>
/// DEVMAP, CPUMAP and XSKMAP: creation, user-space element commands and bpf_redirect_map, each step run in the live
/// kernel and in ours with the same arguments and compared (the only device is loopback, ifindex 1, in both; stdout,
/// fd 1, is open but no AF_XDP socket).
/// </summary>
public class RedirectMapTests
{
    private interface ITarget
    {
        int Create(BpfMapType type, uint keySize, uint valueSize, uint maxEntries, uint flags);
        int Update(int fd, uint key, uint value, ulong flags);
        int Lookup(int fd, uint key, out uint value);
        int Delete(int fd, uint key);
        int Redirect(int mapFd, uint key, ulong flags);
        void Close(int fd);
    }

    // XDP: return bpf_redirect_map(map, key, flags).
    private static Instruction[] RedirectProgram(int fd, uint key, ulong flags) => Asm.Program(
        LdMapFd(R1, fd), Mov64(R2, (int)key), Mov64(R3, (int)flags), Call(51 /* bpf_redirect_map */), Exit());

    private static readonly byte[] Frame = new byte[64];

    private sealed class Kernel : ITarget
    {
        public int Create(BpfMapType t, uint k, uint v, uint m, uint f) => KernelBpf.MapCreate((uint)t, k, v, m, f);
        public int Update(int fd, uint key, uint value, ulong flags) => KernelBpf.MapUpdate(fd, BitConverter.GetBytes(key), BitConverter.GetBytes(value), flags);
        public int Lookup(int fd, uint key, out uint value)
        {
            var v = new byte[4];
            int r = KernelBpf.MapLookup(fd, BitConverter.GetBytes(key), v);
            value = BitConverter.ToUInt32(v);
            return r;
        }
        public int Delete(int fd, uint key) => KernelBpf.MapDelete(fd, BitConverter.GetBytes(key));
        public int Redirect(int mapFd, uint key, ulong flags)
        {
            int prog = KernelBpf.ProgLoad((uint)BpfProgType.Xdp, RedirectProgram(mapFd, key, flags), out string log);
            Assert.True(prog >= 0, log);
            TestRunResult r = KernelBpf.ProgTestRun(prog, Frame);
            KernelBpf.Close(prog);
            return r.Error < 0 ? r.Error : (int)r.Retval;
        }
        public void Close(int fd) => KernelBpf.Close(fd);
    }

    private sealed unsafe class Ours : ITarget, IDisposable
    {
        private readonly BpfSystem _system = new();
        public int Create(BpfMapType t, uint k, uint v, uint m, uint f) => Bpf(BpfCommand.MapCreate, [(uint)t, k, v, m, f]);
        private int Bpf(BpfCommand cmd, uint[] words)
        {
            var attr = new byte[128];
            Buffer.BlockCopy(words, 0, attr, 0, words.Length * 4);
            return _system.Bpf(cmd, attr);
        }
        private int Elem(BpfCommand cmd, int fd, uint key, uint* value, ulong flags)
        {
            var attr = new byte[128];
            BitConverter.TryWriteBytes(attr.AsSpan(0), fd);
            BitConverter.TryWriteBytes(attr.AsSpan(8), (ulong)&key);
            BitConverter.TryWriteBytes(attr.AsSpan(16), (ulong)value);
            BitConverter.TryWriteBytes(attr.AsSpan(24), flags);
            return _system.Bpf(cmd, attr);
        }
        public int Update(int fd, uint key, uint value, ulong flags) => Elem(BpfCommand.MapUpdateElem, fd, key, &value, flags);
        public int Lookup(int fd, uint key, out uint value)
        {
            uint v = 0;
            int r = Elem(BpfCommand.MapLookupElem, fd, key, &v, 0);
            value = v;
            return r;
        }
        public int Delete(int fd, uint key) => Elem(BpfCommand.MapDeleteElem, fd, key, null, 0);
        public int Redirect(int mapFd, uint key, ulong flags)
        {
            using var p = BpfProgram.Load(_system, BpfProgType.Xdp, RedirectProgram(mapFd, key, flags));
            return (int)p.TestRun(Frame).Retval;
        }
        public void Close(int fd) => _system.Close(fd);
        public void Dispose() => _system.Dispose();
    }

    // The script both targets run; each step's result is recorded.
    private static List<string> Script(ITarget t)
    {
        var log = new List<string>();
        foreach (var (name, type) in new[] { ("devmap", BpfMapType.Devmap), ("cpumap", BpfMapType.Cpumap), ("xskmap", BpfMapType.Xskmap) })
        {
            log.Add($"{name} create key 8: {Fd(t.Create(type, 8, 4, 4, 0))}");
            log.Add($"{name} create value 12: {Fd(t.Create(type, 4, 12, 4, 0))}");
            log.Add($"{name} create max 0: {Fd(t.Create(type, 4, 4, 0, 0))}");
            log.Add($"{name} create RDONLY_PROG: {Fd(t.Create(type, 4, 4, 4, MapFlags.BPF_F_RDONLY_PROG))}");
            log.Add($"{name} create RDONLY: {Fd(t.Create(type, 4, 4, 4, MapFlags.BPF_F_RDONLY))}");
            log.Add($"{name} create value 8: {Fd(t.Create(type, 4, 8, 4, 0))}");
            log.Add($"{name} create max 100000: {Fd(t.Create(type, 4, 4, 100000, 0))}");
            int fd = t.Create(type, 4, 4, 4, 0);
            log.Add($"{name} create: {Fd(fd)}");
            log.Add($"{name} redirect to an empty slot, fallback XDP_PASS: {t.Redirect(fd, 0, 2)}");
            log.Add($"{name} update 0 = 1: {t.Update(fd, 0, 1, 0)}");
            log.Add($"{name} update 1 = 999: {t.Update(fd, 1, 999, 0)}");
            log.Add($"{name} update 9 = 1: {t.Update(fd, 9, 1, 0)}");
            log.Add($"{name} update 0 NOEXIST: {t.Update(fd, 0, 1, MapFlags.BPF_NOEXIST)}");
            log.Add($"{name} update 1 EXIST: {t.Update(fd, 1, 1, MapFlags.BPF_EXIST)}");
            log.Add($"{name} update 3 EXIST: {t.Update(fd, 3, 1, MapFlags.BPF_EXIST)}");
            log.Add($"{name} update 0 F_LOCK: {t.Update(fd, 0, 1, MapFlags.BPF_F_LOCK)}");
            log.Add($"{name} update 0 = 20000: {t.Update(fd, 0, 20000, 0)}");
            log.Add($"{name} lookup 0: {t.Lookup(fd, 0, out uint v0)} {v0}");
            log.Add($"{name} lookup 2: {t.Lookup(fd, 2, out _)}");
            log.Add($"{name} redirect to slot 0: {t.Redirect(fd, 0, 0)}");
            log.Add($"{name} redirect with BPF_F_BROADCAST: {t.Redirect(fd, 0, 1 << 3)}");
            log.Add($"{name} delete 0: {t.Delete(fd, 0)}");
            log.Add($"{name} delete 0 again: {t.Delete(fd, 0)}");
            log.Add($"{name} delete 9: {t.Delete(fd, 9)}");
            log.Add($"{name} lookup 0 after delete: {t.Lookup(fd, 0, out _)}");
            log.Add($"{name} update 1 = 0: {t.Update(fd, 1, 0, 0)}");
            if (fd >= 0) t.Close(fd);
        }
        return log;
    }

    private static string Fd(int r) => r >= 0 ? "fd" : r.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [SkippableFact]
    public void Every_step_gives_what_the_kernel_gives()
    {
        Skip.IfNot(KernelBpf.IsAvailable, "bpf() is not available to this process");
        Skip.IfNot(KernelBpf.PossibleCpus == Environment.ProcessorCount, "CPU slots must match the kernel's possible CPUs");
        List<string> kernel = Script(new Kernel());
        using var ours = new Ours();
        Assert.Equal(string.Join('\n', kernel), string.Join('\n', Script(ours)));
    }

    [Fact]
    public void A_device_map_slot_is_a_redirect_target_the_host_sees()
    {
        using var system = new BpfSystem();
        using var devmap = BpfMap.Create(system, new BpfMapSpec(BpfMapType.Devmap, 4, 4, 4));
        devmap.Update(BitConverter.GetBytes(2u), BitConverter.GetBytes(1u)); // slot 2: loopback
        using var prog = BpfProgram.Load(system, BpfProgType.Xdp, RedirectProgram(devmap.Fd, 2, 0));
        using var hook = new PacketHook(system, BpfProgType.Xdp);
        using BpfLink link = hook.Attach(prog);
        PacketVerdict v = hook.Fire(Frame);
        Assert.Equal(4ul, v.Result); // XDP_REDIRECT
        Assert.Equal((true, 2u, BpfMapType.Devmap, devmap.Id), (v.Redirect.IsSet, v.Redirect.Ifindex, v.Redirect.MapType, v.Redirect.MapId));
        BpfException e = Assert.Throws<BpfException>(() => devmap.Update(BitConverter.GetBytes(0u), BitConverter.GetBytes(7u)));
        Assert.Equal(Errno.EINVAL, e.Errno); // no device 7
    }
    [Fact]
    public void A_device_hash_entry_is_a_redirect_target_by_its_key_and_a_missing_key_is_the_flags_verdict()
    {
        using var system = new BpfSystem();
        using var devmap = BpfMap.Create(system, new BpfMapSpec(BpfMapType.DevmapHash, 4, 4, 4));
        devmap.Update(BitConverter.GetBytes(1000u), BitConverter.GetBytes(1u)); // key 1000: loopback
        using var hook = new PacketHook(system, BpfProgType.Xdp);
        using (var prog = BpfProgram.Load(system, BpfProgType.Xdp, RedirectProgram(devmap.Fd, 1000, 0)))
        using (BpfLink link = hook.Attach(prog))
        {
            PacketVerdict v = hook.Fire(Frame);
            Assert.Equal(4ul, v.Result); // XDP_REDIRECT
            Assert.Equal((true, 1000u, BpfMapType.DevmapHash, devmap.Id), (v.Redirect.IsSet, v.Redirect.Ifindex, v.Redirect.MapType, v.Redirect.MapId));
        }
        using (var prog = BpfProgram.Load(system, BpfProgType.Xdp, RedirectProgram(devmap.Fd, 7, 2)))
        using (BpfLink link = hook.Attach(prog))
            Assert.Equal(2ul, hook.Fire(Frame).Result); // no key 7: XDP_PASS from the flags
    }
}
