using BpfSharp.Isa;
using BpfSharp.Maps;
using BpfSharp.Runtime;
using BpfSharp.Syscall;
using BpfSharp.Uapi;

namespace BpfSharp;

// PROG_LOAD and PROG_TEST_RUN.
public sealed unsafe partial class BpfSystem
{
    /// <summary>BPF_COMPLEXITY_LIMIT_INSNS: the most instructions a program may have.</summary>
    public const int MaxInstructions = 1_000_000;

    // The longest license string read (kernel: char license[128]).
    private const int LicenseMax = 127;

    // kernel: bpf_prog_load. There is no verifier yet: a program that decodes is accepted and runs
    // in the interpreter's checked mode (see LoadedProgram).
    private int ProgLoad(ref BpfAttr attr)
    {
        ProgLoadAttr a = attr.ProgLoad;
        if ((a.ProgFlags & ~ProgFlags.ProgLoadMask) != 0) return -Errno.EINVAL;
        if (UserMemory.ReadString(a.License, LicenseMax, out string license, out _) < 0) return -Errno.EFAULT;
        if (a.InsnCnt == 0 || a.InsnCnt > MaxInstructions) return -Errno.E2BIG;
        int err = CheckAttachTarget(a);
        if (err < 0) return err;
        var type = (BpfProgType)a.ProgType;
        uint expected = AttachChecks.Fixup(type, a.ExpectedAttachType);
        if (!AttachChecks.IsValid(type, expected)) return -Errno.EINVAL;
        var insns = new Instruction[a.InsnCnt];
        fixed (Instruction* p = insns)
        {
            if (UserMemory.CopyFrom(a.Insns, p, (nuint)insns.Length * Instruction.Size) < 0) return -Errno.EFAULT;
        }
        if (type == BpfProgType.Unspec || !Enum.IsDefined(type)) return -Errno.EINVAL; // kernel: find_prog_type
        if (a.ProgName.Validate(out string name) < 0) return -Errno.EINVAL;
        if (a.ProgIfindex != 0) return -Errno.EINVAL; // no device to bind to
        err = BpfLog.Validate(a.LogLevel, a.LogBuf, a.LogSize);
        if (err < 0) return err;

        err = Check(a, type, insns, out LoadedProgram? program, out string? message, name, license, expected);
        int logErr = BpfLog.Write(a.LogLevel, a.LogBuf, a.LogSize, message is null ? "" : message + "\n");
        if (err == 0 && logErr < 0)
        {
            program!.Release();
            return logErr;
        }
        if (err < 0) return logErr < 0 ? logErr : err;
        program!.Releasing = _releasing;
        _progIds.Allocate(program);
        return InstallObject(program);
    }

    // kernel: the attach-target part of bpf_prog_load. Attaching to a kernel BTF type or another
    // program needs BTF of the kernel or of that program: neither exists here.
    private int CheckAttachTarget(in ProgLoadAttr a)
    {
        if (a.AttachProgFd != 0)
        {
            if (GetProgram(a.AttachProgFd, out LoadedProgram? target) == 0)
            {
                target!.Release();
                return -Errno.EINVAL;
            }
            if (GetBtf(a.AttachBtfObjFd, out BtfObject? btf) == 0)
            {
                btf!.Release();
                return -Errno.ENOTSUPP; // attaching through a program's own BTF object
            }
            return -Errno.EINVAL;
        }
        return a.AttachBtfId != 0 ? -Errno.EINVAL : 0; // no vmlinux BTF to fall back to
    }

    // What the verifier will do; until it exists: the type rules, decoding, map resolution, the engine.
    private int Check(in ProgLoadAttr a, BpfProgType type, Instruction[] insns, out LoadedProgram? program,
        out string? message, string name, string license, uint expected)
    {
        program = null;
        int err = AttachChecks.CheckSleepable(type, a.ProgFlags, out message);
        if (err < 0) return err;
        if (a.CoreReloCnt != 0)
        {
            message = "CO-RE relocations by the kernel are not supported";
            return -Errno.EINVAL;
        }
        BtfObject? btf = null;
        if (a.FuncInfoCnt != 0 || a.LineInfoCnt != 0)
        {
            err = GetBtf(a.ProgBtfFd, out btf);
            if (err < 0) return err;
        }
        try
        {
            try
            {
                InstructionDecoder.Validate(insns);
            }
            catch (BpfFormatException e)
            {
                message = e.Message;
                return -Errno.EINVAL;
            }
            ProgTag tag = ProgTag.Compute(insns);
            var resolver = new PseudoResolver(LookupMap, a.FdArray);
            err = resolver.Resolve(insns);
            if (err < 0)
            {
                message = resolver.Message;
                return err;
            }
            Interpreter interpreter;
            try
            {
                interpreter = new Interpreter(insns, new InterpreterOptions
                {
                    Checked = true, // no verifier yet: every program runs checked
                    Helpers = _helpers,
                    InstructionBudget = _options.InstructionBudget,
                });
            }
            catch (BpfFormatException e)
            {
                foreach (Map map in resolver.UsedMaps) map.Release();
                message = e.Message;
                return -Errno.EINVAL;
            }
            var spec = new ProgramSpec(type, name, expected, a.ProgFlags, license, tag, btf,
                insns, [.. resolver.UsedMaps], [.. resolver.Loads]);
            btf = null; // the program holds it now
            program = new LoadedProgram(spec, interpreter, Epochs, Maps);
            return CheckTailCallMaps(ref program);
        }
        finally
        {
            btf?.Release();
        }
    }

    // kernel: bpf_check_tail_call. A program using a prog array must be compatible with the programs in it
    // (the first one fixes the array's owner); else the program is freed and the load fails.
    private static int CheckTailCallMaps(ref LoadedProgram? program)
    {
        foreach (Map map in program!.UsedMaps)
        {
            if (map is ProgArray array && !array.IsCompatible(program))
            {
                program.Release();
                program = null;
                return -Errno.EINVAL;
            }
        }
        return 0;
    }

    private int LookupMap(int fd, out Map? map) => GetMap((uint)fd, out map, out _);

    // kernel: bpf_prog_test_run; the run itself is generic until program types exist (see TestRun).
    private int ProgTestRun(ref BpfAttr attr, AttrOut io)
    {
        TestRunAttr t = attr.TestRun;
        if ((t.CtxSizeIn != 0) != (t.CtxIn != 0) || (t.CtxSizeOut != 0) != (t.CtxOut != 0)) return -Errno.EINVAL;
        int err = GetProgram(t.ProgFd, out LoadedProgram? program);
        if (err < 0) return err;
        try
        {
            return TestRun.Run(program!, ref attr, io, PossibleCpus);
        }
        finally
        {
            program!.Release();
        }
    }
}
