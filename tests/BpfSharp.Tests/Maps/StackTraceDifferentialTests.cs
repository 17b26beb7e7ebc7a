using BpfSharp.Isa;
using BpfSharp.Maps;
using BpfSharp.Syscall;
using BpfSharp.Tests.Kernel;
using BpfSharp.Tests.Syscall;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Reg;
using static BpfSharp.Uapi.MapFlags;

namespace BpfSharp.Tests.Maps;

/// <summary>
/// STACK_TRACE against the live kernel: creation rules, the user-space commands on an empty map, and the stack ids
/// bpf_get_stackid returns in a raw tracepoint test run, which must be what <see cref="StackTraceMap.StoreStack"/>
/// gives for the same frames (the kernel's hash and bucket choice).
/// </summary>
public unsafe class StackTraceDifferentialTests
{
    private const string NoKernel = KernelDifferentialTests.NoKernel;

    public static TheoryData<string, uint, uint, uint, uint> CreateCases() => new()
    {
        { "plain", 4, 8 * 16, 64, 0 },
        { "deepest value", 4, 8 * 127, 1, 0 },
        { "one frame too deep", 4, 8 * 128, 1, 0 },
        { "value not a multiple of 8", 4, 12, 1, 0 },
        { "value under 8", 4, 4, 1, 0 },
        { "key of 8", 8, 64, 1, 0 },
        { "no entries", 4, 64, 0, 0 },
        { "max_entries past 2^31", 4, 64, (1u << 31) + 1, 0 },
        { "rdonly", 4, 64, 4, BPF_F_RDONLY },
        { "wronly", 4, 64, 4, BPF_F_WRONLY },
        { "numa node", 4, 64, 4, BPF_F_NUMA_NODE },
        { "rdonly_prog is not for stacks", 4, 64, 4, BPF_F_RDONLY_PROG },
        { "no_prealloc is not for stacks", 4, 64, 4, BPF_F_NO_PREALLOC },
        { "mmapable is not for stacks", 4, 64, 4, BPF_F_MMAPABLE },
    };

    [SkippableTheory]
    [MemberData(nameof(CreateCases))]
    public void Create_matches_the_kernel(string name, uint keySize, uint valueSize, uint maxEntries, uint flags)
    {
        Skip.IfNot(KernelMapOracle.IsAvailable, NoKernel);
        _ = name;
        MapTwin.AssertCreateSame(BpfMapType.StackTrace, keySize, valueSize, maxEntries, flags);
    }

    [SkippableFact]
    public void Commands_on_an_empty_map_match_the_kernel()
    {
        Skip.IfNot(KernelMapOracle.IsAvailable, NoKernel);
        using var host = new MapTestHost(KernelMapOracle.PossibleCpus);
        using var twin = MapTwin.Create(host, new MapAttributes { Type = BpfMapType.StackTrace, KeySize = 4, ValueSize = 64, MaxEntries = 5 });
        foreach (uint id in new uint[] { 0, 3, 7, 8, 100 })
        {
            byte[] key = BitConverter.GetBytes(id);
            twin.Lookup(key, 64);
            twin.Update(key, new byte[64]);
            twin.Delete(key);
            twin.NextKey(key, 4);
            twin.LookupAndDelete(key, 64);
        }
        twin.NextKey(null, 4);
        twin.AssertSame();
    }

    [SkippableFact]
    public void Stack_ids_from_a_test_run_are_our_ids_for_the_same_frames()
    {
        Skip.IfNot(KernelMapOracle.IsAvailable, NoKernel);
        using var kernel = new KernelTarget();
        int map = KernelMapOracle.Create((uint)BpfMapType.StackTrace, 4, 8 * 127, 64);
        Assert.True(map >= 0, Errno.Name(map));
        try
        {
            using var host = new MapTestHost(KernelMapOracle.PossibleCpus);
            Assert.Equal(0, host.Create(new MapAttributes { Type = BpfMapType.StackTrace, KeySize = 4, ValueSize = 8 * 127, MaxEntries = 64 }, out Map? created));
            var ours = (StackTraceMap)created!;
            foreach (ulong flags in new ulong[] { 0, 2, StackTraceMap.BPF_F_FAST_STACK_CMP })
            {
                long id = RawTracepointStackid(kernel, map, flags);
                Skip.If(id == -Errno.EFAULT, "the kernel took no stack in a raw tracepoint test run");
                Assert.True(id >= 0, $"bpf_get_stackid: {Errno.Name((int)id)}");
                byte[] value = new byte[8 * 127];
                Assert.Equal(0, KernelMapOracle.Lookup(map, BitConverter.GetBytes((uint)id), value));
                ulong[] frames = Frames(value);
                Assert.NotEmpty(frames);
                // The map holds the frames past the skipped ones; hashing those again must land in the same bucket.
                Assert.Equal(id, ours.StoreStack(frames, StackTraceMap.BPF_F_REUSE_STACKID));
            }
        }
        finally
        {
            KernelMapOracle.Close(map);
        }
    }

    // r0 = bpf_get_stackid(ctx, map, flags) in a raw tracepoint program, test-run once: its retval (sign-extended from 32 bits).
    private static long RawTracepointStackid(KernelTarget kernel, int map, ulong flags)
    {
        Instruction[] insns = Asm.Program(
            Asm.LdMapFd(R2, map),
            Asm.Mov64Imm(R3, (int)flags),
            Asm.Call(27),
            Asm.Exit());
        byte[] license = "GPL\0"u8.ToArray();
        int fd;
        fixed (Instruction* ip = insns)
        fixed (byte* lp = license)
        {
            BpfAttr load = default;
            load.ProgLoad.ProgType = (uint)BpfProgType.RawTracepoint;
            load.ProgLoad.InsnCnt = (uint)insns.Length;
            load.ProgLoad.Insns = (ulong)ip;
            load.ProgLoad.License = (ulong)lp;
            fd = kernel.Bpf(BpfCommand.ProgLoad, ref load);
        }
        Assert.True(fd >= 0, $"load: {Errno.Name(fd)}");
        BpfAttr run = default;
        run.TestRun.ProgFd = (uint)fd;
        int err = kernel.Bpf(BpfCommand.ProgTestRun, ref run);
        kernel.Close(fd);
        Assert.Equal(0, err);
        return (int)run.TestRun.Retval;
    }

    // The frames of a looked-up value: the kernel zero-fills past the last one, and no instruction pointer is 0.
    private static ulong[] Frames(byte[] value)
    {
        var frames = new List<ulong>();
        for (int i = 0; i + 8 <= value.Length; i += 8)
        {
            ulong ip = BitConverter.ToUInt64(value, i);
            if (ip == 0) break;
            frames.Add(ip);
        }
        return [.. frames];
    }
}
