using BpfSharp.Elf.Btf;
using BpfSharp.Isa;
using BpfSharp.Tests.Elf.Btf;
using BpfSharp.Tests.Kernel;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Asm;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// bpf_timer_set_callback: its timer argument is checked as the kernel checks it (process_timer_func, against the
/// live kernel), but bpf_timer does not run here, so a program that would set a timer callback is refused cleanly
/// where the kernel accepts it.
/// </summary>
public class TimerCallbackTests
{
    private const int TimerSetCallback = 170;

    // BTF: struct bpf_timer (16 bytes), struct val { int a; int pad; struct bpf_timer t; }, and the two functions.
    private static (byte[] Blob, uint Value, uint Main, uint Cb) Btf()
    {
        var b = new BtfBuilder();
        uint i = b.Int("int", 4, BtfConstants.IntSigned);
        uint u64 = b.Int("unsigned long long", 8);
        uint timer = b.Struct("bpf_timer", 16, ("a", u64, 0), ("b", u64, 64));
        uint val = b.Struct("val", 24, ("a", i, 0), ("pad", i, 32), ("t", timer, 64));
        uint skb = b.Struct("__sk_buff", 16);
        uint main = b.Func("main", b.FuncProto(i, ("ctx", b.Ptr(skb))), linkage: 1);
        uint cb = b.Func("cb", b.FuncProto(i, ("map", b.Ptr(0)), ("key", b.Ptr(0)), ("value", b.Ptr(0))), linkage: 0);
        return (b.Build(), val, main, cb);
    }

    // Looks up key 0 and passes value + timerOffset as the timer, with cb as its callback.
    private static Instruction[] Program(int mapFd, int timerOffset) => Asm.Program(
        StMem(Opcodes.BPF_W, R10, -4, 0), Mov64(R2, R10), Add64(R2, -4), LdMapFd(R1, mapFd), Call(1),
        JmpImm(Opcodes.BPF_JNE, R0, 0, "found"), Mov64(R0, 0), Exit(),
        Label("found"), Mov64(R1, R0), Add64(R1, timerOffset), LdFunc(R2, "cb"), Call(TimerSetCallback),
        Mov64(R0, 0), Exit(),
        Label("cb"), Mov64(R0, 0), Exit());

    public static TheoryData<int, int, string> Cases => new()
    {
        { 8, -Errno.EINVAL, "bpf_timer callbacks are not supported" },
        { 0, -Errno.EINVAL, "off 0 doesn't point to 'struct bpf_timer' that is at 8" },
    };

    private static string ErrorLine(string log) => KernelVerifierLog.ErrorLine(log);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Ours(int timerOffset, int errno, string message)
    {
        var (blob, value, main, cb) = Btf();
        using var system = new BpfSystem();
        using BpfBtf btf = BpfBtf.Load(system, blob);
        using BpfMap map = BpfMap.Create(system, new BpfMapSpec(BpfMapType.Array, 4, 24, 1)
        {
            BtfFd = btf.Fd, BtfKeyTypeId = 1, BtfValueTypeId = value,
        });
        Instruction[] insns = Program(map.Fd, timerOffset);
        int cbStart = Verifier.Corpus.CaseBtf.SubprogStarts(insns)[1];
        var e = Assert.Throws<BpfException>(() => BpfProgram.Load(system, BpfProgType.SchedCls, insns, new BpfProgramOptions
        {
            Btf = btf,
            FuncInfo = [new BtfFuncInfo(0, main), new BtfFuncInfo(cbStart, cb)],
        }));
        Assert.Equal(-errno, e.Errno);
        Assert.Equal(message, ErrorLine(e.Detail ?? ""));
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void The_kernel(int timerOffset, int errno, string message)
    {
        Skip.IfNot(KernelBpf.IsAvailable, "bpf() is not available to this process");
        var (blob, value, main, cb) = Btf();
        int btf = KernelBtfOracle.BtfLoad(blob, out string btfLog);
        Assert.True(btf > 0, btfLog);
        int map = KernelBpf.MapCreate((uint)BpfMapType.Array, 4, 24, 1, btfFd: btf, btfKeyTypeId: 1, btfValueTypeId: value);
        Assert.True(map > 0, $"map: {map}");
        Instruction[] insns = Program(map, timerOffset);
        int cbStart = Verifier.Corpus.CaseBtf.SubprogStarts(insns)[1];
        int fd = KernelBpf.ProgLoad((uint)BpfProgType.SchedCls, insns,
            new ProgLoadOptions(BtfFd: btf, FuncInfo: [0, main, (uint)cbStart, cb]), out string log);
        if (fd >= 0) KernelBpf.Close(fd);
        KernelBpf.Close(map);
        KernelBpf.Close(btf);
        if (message.StartsWith("bpf_timer callbacks", StringComparison.Ordinal))
        {
            Assert.True(fd >= 0, $"the kernel sets timer callbacks; ours refuses them: {fd}\n{log}"); // the one difference
            return;
        }
        Assert.Equal(errno, Math.Min(fd, 0));
        Assert.Equal(message, ErrorLine(log));
    }
}
