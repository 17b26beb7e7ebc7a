using BpfSharp.Elf;
using BpfSharp.Isa;
using BpfSharp.Tests.Kernel;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Asm;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// bpf_spin_lock / bpf_spin_unlock on a map value whose BTF holds a <c>struct bpf_spin_lock</c> (elf_spin_lock.o's
/// <c>counters</c>: the lock at offset 0, a u64 at 8): the kernel's rules (kernel: process_spin_lock, the checks of
/// calls, exits and LD_ABS while a lock is held) with its messages, each case also run in the live kernel.
/// </summary>
public class SpinLockTests
{
    private const int Lock = 93, Unlock = 94;

    // Looks up key 0 of the map, keeps the value in r6 and the context in r7, then `body`, then returns 0.
    private static Instruction[] Program(int mapFd, params AsmItem[] body) => Asm.Program([
        Mov64(R7, R1),
        StMem(Opcodes.BPF_W, R10, -4, 0), Mov64(R2, R10), Add64(R2, -4), LdMapFd(R1, mapFd), Call(1),
        JmpImm(Opcodes.BPF_JNE, R0, 0, "found"), Mov64(R0, 0), Exit(),
        Label("found"), Mov64(R6, R0),
        .. body,
        Mov64(R0, 0), Exit()]);

    // The same, with subprograms after the main program's exit.
    private static Instruction[] Program(int mapFd, AsmItem[] body, AsmItem[] subprogs) => Asm.Program([
        Mov64(R7, R1),
        StMem(Opcodes.BPF_W, R10, -4, 0), Mov64(R2, R10), Add64(R2, -4), LdMapFd(R1, mapFd), Call(1),
        JmpImm(Opcodes.BPF_JNE, R0, 0, "found"), Mov64(R0, 0), Exit(),
        Label("found"), Mov64(R6, R0),
        .. body,
        Mov64(R0, 0), Exit(),
        .. subprogs]);

    // bpf_loop(2, cb, NULL, 0)
    private static AsmItem[] LoopCb() => [Mov64(R1, 2), LdFunc(R2, "cb"), Mov64(R3, 0), Mov64(R4, 0), Call(Loop)];

    // cb: looks up key 0 itself and runs `locked` on the value in r6; returns 0
    private static AsmItem[] Callback(int mapFd, params AsmItem[] locked) => [
        Label("cb"),
        StMem(Opcodes.BPF_W, R10, -4, 0), Mov64(R2, R10), Add64(R2, -4), LdMapFd(R1, mapFd), Call(1),
        JmpImm(Opcodes.BPF_JNE, R0, 0, "cb_found"), Mov64(R0, 0), Exit(),
        Label("cb_found"), Mov64(R6, R0),
        .. locked,
        Mov64(R0, 0), Exit()];

    private const int Loop = 181;
    private static readonly string[] LoopFuncs = ["global int main(struct __sk_buff *)", "static int cb(u64, void *)"];

    private static AsmItem[] LockR6(int off = 0) => [Mov64(R1, R6), Add64(R1, off), Call(Lock)];
    private static AsmItem[] UnlockR6() => [Mov64(R1, R6), Call(Unlock)];

    /// <summary>A program of the map fd; <paramref name="Funcs"/>: the BTF signatures of its subprograms (see CaseBtf).</summary>
    public sealed record Case(string Name, Func<int, Instruction[]> Build, int Errno, string Message, bool PlainMap = false,
        string[]? Funcs = null)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Case> Cases => new()
    {
        new("lock, count, unlock", fd => Program(fd, [.. LockR6(), LdxMem(Opcodes.BPF_DW, R1, R6, 8), Add64(R1, 1),
            StxMem(Opcodes.BPF_DW, R6, R1, 8), .. UnlockR6()]), 0, ""),
        new("a helper call while locked", fd => Program(fd, [.. LockR6(), Call(7), .. UnlockR6()]),
            -Errno.EINVAL, "function calls are not allowed while holding a lock"),
        new("locking twice", fd => Program(fd, [.. LockR6(), .. LockR6(), .. UnlockR6()]),
            -Errno.EINVAL, "function calls are not allowed while holding a lock"),
        new("exit while locked", fd => Program(fd, LockR6()),
            -Errno.EINVAL, "BPF_EXIT instruction in main prog cannot be used inside bpf_spin_lock-ed region"),
        new("unlock without lock", fd => Program(fd, UnlockR6()),
            -Errno.EINVAL, "bpf_spin_unlock without taking a lock"),
        new("lock at the wrong offset", fd => Program(fd, [.. LockR6(8), .. UnlockR6()]),
            -Errno.EINVAL, "off 8 doesn't point to 'struct bpf_spin_lock' that is at 0"),
        new("lock at a variable offset", fd => Program(fd, [LdxMem(Opcodes.BPF_DW, R2, R6, 8), And64(R2, 8),
            Mov64(R1, R6), Add64(R1, R2), Call(Lock), .. UnlockR6()]),
            -Errno.EINVAL, "R1 doesn't have constant offset. bpf_spin_lock has to be at the constant offset"),
        new("the lock read directly", fd => Program(fd, [LdxMem(Opcodes.BPF_W, R1, R6, 0)]),
            -Errno.EACCES, "bpf_spin_lock cannot be accessed directly by load/store"),
        new("unlocked on one path only", fd => Program(fd, [.. LockR6(), LdxMem(Opcodes.BPF_DW, R1, R6, 8),
            JmpImm(Opcodes.BPF_JEQ, R1, 0, "skip"), .. UnlockR6(), Label("skip")]),
            -Errno.EINVAL, "BPF_EXIT instruction in main prog cannot be used inside bpf_spin_lock-ed region"),
        new("unlock through another lookup's pointer", fd => Program(fd, [.. LockR6(),
            Mov64(R8, R6), StMem(Opcodes.BPF_W, R10, -8, 0), Mov64(R2, R10), Add64(R2, -8), LdMapFd(R1, fd), Call(1),
            JmpImm(Opcodes.BPF_JNE, R0, 0, "other"), Mov64(R1, R8), Call(Unlock), Mov64(R0, 0), Exit(),
            Label("other"), Mov64(R1, R0), Call(Unlock)]),
            -Errno.EINVAL, "function calls are not allowed while holding a lock"),
        new("a map without BTF", fd => Program(fd, [.. LockR6(), .. UnlockR6()]),
            -Errno.EINVAL, "map '' has to have BTF in order to use bpf_spin_lock", PlainMap: true),
        new("LD_ABS while locked", fd => Program(fd, [.. LockR6(), Mov64(R6, R7), LdAbs(Opcodes.BPF_B, 0)]),
            -Errno.EINVAL, "BPF_LD_[ABS|IND] cannot be used inside bpf_spin_lock-ed region"),
        // callbacks and functions: no lock goes into a callback, one taken in it comes back to the call
        new("bpf_loop while locked", fd => Program(fd, [.. LockR6(), .. LoopCb(), .. UnlockR6()], Callback(fd)),
            -Errno.EINVAL, "function calls are not allowed while holding a lock", Funcs: LoopFuncs),
        new("a callback that locks and unlocks", fd => Program(fd, LoopCb(), Callback(fd, [.. LockR6(), .. UnlockR6()])),
            0, "", Funcs: LoopFuncs),
        new("a callback that returns locked", fd => Program(fd, LoopCb(), Callback(fd, LockR6())),
            -Errno.EINVAL, "function calls are not allowed while holding a lock", Funcs: LoopFuncs),
        new("a static function called while locked", fd => Program(fd, [.. LockR6(), CallRel("sub"), .. UnlockR6()],
            [Label("sub"), Mov64(R0, 0), Exit()]), 0, ""),
        new("a global function called while locked", fd => Program(fd, [.. LockR6(), Mov64(R1, 1), CallRel("sub"), .. UnlockR6()],
            [Label("sub"), Mov64(R0, 0), Exit()]),
            -Errno.EINVAL, "use static function instead", Funcs: ["global int main(struct __sk_buff *)", "global int sub(int)"]),
    };

    // The case's BTF and func_info records, if it has subprograms with BTF.
    private static (byte[] Blob, uint[] FuncInfo)? Btf(Case c, Instruction[] insns)
    {
        if (c.Funcs is null) return null;
        var (blob, info, _) = new Corpus.CaseBtf(c.Funcs).Build(insns);
        return (blob, info);
    }

    private static (int Errno, string Log) Ours(Case c)
    {
        using var system = new BpfSystem();
        using Collection obj = Collection.Load(CollectionSpec.Load(TestPrograms.PathOf("elf_spin_lock.o")), system);
        using var plain = BpfMap.Create(system, new BpfMapSpec(BpfMapType.Array, 4, 16, 1));
        try
        {
            Instruction[] insns = c.Build(c.PlainMap ? plain.Fd : obj.Maps["counters"].Fd);
            var options = new BpfProgramOptions();
            BpfBtf? btf = null;
            if (Btf(c, insns) is var (blob, info))
            {
                btf = BpfBtf.Load(system, blob);
                var records = new List<BpfSharp.Elf.Btf.BtfFuncInfo>();
                for (int i = 0; i < info.Length; i += 2)
                    records.Add(new BpfSharp.Elf.Btf.BtfFuncInfo((int)info[i], info[i + 1]));
                options = options with { Btf = btf, FuncInfo = records };
            }
            using (btf)
            using (BpfProgram.Load(system, BpfProgType.SchedCls, insns, options))
                return (0, "");
        }
        catch (BpfException e)
        {
            return (-e.Errno, e.Detail ?? "");
        }
    }

    private static string ErrorLine(string log)
    {
        string[] lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Length < 2 ? "" : lines[^2]; // the line before "processed N insns ..."
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Our_verdict_and_message(Case c)
    {
        var (errno, log) = Ours(c);
        Assert.True(c.Errno == errno, $"errno {errno}, log:\n{log}");
        if (c.Errno != 0) Assert.Equal(c.Message, ErrorLine(log));
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public void The_kernels_verdict_and_message(Case c)
    {
        Skip.IfNot(KernelBpf.IsAvailable, "bpf() is not available to this process");
        CollectionSpec spec = CollectionSpec.Load(TestPrograms.PathOf("elf_spin_lock.o"));
        using var kernel = new KernelObject(spec);
        int plain = KernelBpf.MapCreate((uint)BpfMapType.Array, 4, 16, 1);
        Instruction[] insns = c.Build(c.PlainMap ? plain : kernel.Maps["counters"]);
        var options = new ProgLoadOptions();
        int btfFd = 0;
        if (Btf(c, insns) is var (blob, info))
        {
            btfFd = KernelBtfOracle.BtfLoad(blob, out string btfLog);
            Assert.True(btfFd > 0, btfLog);
            options = options with { BtfFd = btfFd, FuncInfo = info };
        }
        int fd = KernelBpf.ProgLoad((uint)BpfProgType.SchedCls, insns, options, out string log);
        if (fd >= 0) KernelBpf.Close(fd);
        if (btfFd > 0) KernelBpf.Close(btfFd);
        KernelBpf.Close(plain);
        Assert.True(c.Errno == Math.Min(fd, 0), $"kernel: {fd}\n{log}");
        if (c.Errno != 0) Assert.Equal(c.Message, ErrorLine(log));
    }
}
