using BpfSharp.Hosting;
using BpfSharp.Isa;
using BpfSharp.Maps;
using BpfSharp.Runtime;
using BpfSharp.Syscall;
using BpfSharp.Uapi;
using BpfSharp.ProgramTypes;
using BpfSharp.Verifier;
using static BpfSharp.Isa.Opcodes;

namespace BpfSharp;

// PROG_LOAD and PROG_TEST_RUN.
public sealed unsafe partial class BpfSystem
{
    /// <summary>BPF_COMPLEXITY_LIMIT_INSNS: the most instructions a program may have.</summary>
    public const int MaxInstructions = 1_000_000;

    // The longest license string read (kernel: char license[128]).
    private const int LicenseMax = 127;

    // kernel: bpf_prog_load. The verifier decides; a verified program runs unchecked.
    private int ProgLoad(ref BpfAttr attr, BpfCapabilities caps)
    {
        ProgLoadAttr a = attr.ProgLoad;
        if ((a.ProgFlags & ~ProgFlags.ProgLoadMask) != 0) return -Errno.EINVAL;
        VerifierCapabilities vcaps = VerifierCapabilities.From(caps);
        if (UserMemory.ReadString(a.License, LicenseMax, out string license, out _) < 0) return -Errno.EFAULT;
        if (a.InsnCnt == 0 || a.InsnCnt > (vcaps.BpfCapable ? MaxInstructions : Cfg.MaxInsns)) return -Errno.E2BIG;
        if (!ProgTypeCapable((BpfProgType)a.ProgType, caps)) return -Errno.EPERM;
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
        HostProgramTypeRegistration? host = HostType(type);
        if (type == BpfProgType.Unspec || !Enum.IsDefined(type) && host is null) return -Errno.EINVAL; // kernel: find_prog_type
        if (a.ProgName.Validate(out string name) < 0) return -Errno.EINVAL;
        if (a.ProgIfindex != 0) return -Errno.EINVAL; // no device to bind to
        err = BpfLog.Validate(a.LogLevel, a.LogBuf, a.LogSize);
        if (err < 0) return err;

        err = Check(a, type, host, insns, vcaps, out LoadedProgram? program, out string? message, name, license, expected);
        int logErr = BpfLog.Write(a.LogLevel, a.LogBuf, a.LogSize,
            message is null ? "" : message.EndsWith('\n') ? message : message + "\n" + NoInsnsProcessed);
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
        if (a.AttachBtfId == 0) return 0;
        // kernel: the vmlinux fallback of bpf_prog_load and bpf_prog_load_check_attach. Only tracing programs
        // attach to kernel BTF here (LSM, struct_ops and freplace targets are not modelled).
        if (a.AttachBtfId > BtfMaxType || _options.KernelBtf is null) return -Errno.EINVAL;
        return (BpfProgType)a.ProgType == BpfProgType.Tracing ? 0 : -Errno.EINVAL;
    }

    // BTF_MAX_TYPE: the largest BTF type id.
    private const uint BtfMaxType = 0x000fffff;

    // The verifier's closing line for a load refused before any instruction was walked.
    private const string NoInsnsProcessed =
        "processed 0 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n";

    // kernel: the capability checks of bpf_prog_load (unprivileged_bpf_disabled taken as 0): without CAP_BPF only
    // socket filters and cgroup skb programs; networking types need CAP_NET_ADMIN (is_net_admin_prog_type: not
    // cgroup/skb, sk_reuseport or sk_lookup), tracing types CAP_PERFMON (is_perfmon_prog_type), freplace both.
    private static bool ProgTypeCapable(BpfProgType type, BpfCapabilities caps)
    {
        bool sysAdmin = (caps & BpfCapabilities.SysAdmin) != 0;
        bool bpf = sysAdmin || (caps & BpfCapabilities.Bpf) != 0;
        if (type is not (BpfProgType.SocketFilter or BpfProgType.CgroupSkb) && !bpf) return false;
        bool netAdmin = sysAdmin || (caps & BpfCapabilities.NetAdmin) != 0;
        bool perfmon = sysAdmin || (caps & BpfCapabilities.Perfmon) != 0;
        if (type is BpfProgType.SchedCls or BpfProgType.SchedAct or BpfProgType.Xdp
            or BpfProgType.LwtIn or BpfProgType.LwtOut or BpfProgType.LwtXmit or BpfProgType.LwtSeg6local
            or BpfProgType.SkSkb or BpfProgType.SkMsg or BpfProgType.LircMode2 or BpfProgType.FlowDissector
            or BpfProgType.CgroupDevice or BpfProgType.CgroupSock or BpfProgType.CgroupSockAddr
            or BpfProgType.CgroupSockopt or BpfProgType.CgroupSysctl or BpfProgType.SockOps or BpfProgType.Ext
            or BpfProgType.Netfilter
            && !netAdmin)
            return false;
        if (type is BpfProgType.Kprobe or BpfProgType.Tracepoint or BpfProgType.PerfEvent or BpfProgType.RawTracepoint
            or BpfProgType.RawTracepointWritable or BpfProgType.Tracing or BpfProgType.Lsm or BpfProgType.StructOps
            or BpfProgType.Ext && !perfmon)
            return false;
        return true;
    }

    // kernel: license_is_gpl_compatible
    private static bool IsGplCompatible(string license) => license is "GPL" or "GPL v2" or "GPL and additional rights"
        or "Dual BSD/GPL" or "Dual MIT/GPL" or "Dual MPL/GPL";

    // The type rules, decoding, map resolution, the verifier, the engine.
    private int Check(in ProgLoadAttr a, BpfProgType type, HostProgramTypeRegistration? host, Instruction[] insns, VerifierCapabilities caps,
        out LoadedProgram? program, out string? message, string name, string license, uint expected)
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
            List<VerifierFuncInfo>? funcs = null;
            // A stand-in BTF parser (tests) has no blob: its func_info is ignored.
            if (btf?.Types.Blob is { } blob && a.FuncInfoCnt != 0)
            {
                err = FuncInfo.Read(a, blob, out funcs, out string? text); // kernel: check_btf_func_early
                if (err < 0)
                {
                    message = text is null ? null : text + NoInsnsProcessed;
                    return err;
                }
            }
            try
            {
                InstructionDecoder.Validate(insns);
            }
            catch (BpfFormatException e)
            {
                // The kernel checks subprogram bounds, lddw pairs and its opcode table before it walks the program,
                // and reserved fields only when it reaches them: a fault of those earlier passes is what it reports.
                if (_options.Verify && Cfg.Run(insns, new CfgOptions(caps.BpfCapable), afterSubprogs: null) is
                    { IsValid: false, Error: { Length: > 0 } earlier } first)
                {
                    message = earlier;
                    return -first.Errno;
                }
                message = DecodeMessages.KernelText(e.Message);
                return -Errno.EINVAL;
            }
            ProgTag tag = ProgTag.Compute(insns);
            Instruction[] original = (Instruction[])insns.Clone();
            var resolver = new PseudoResolver(LookupMap, a.FdArray, sleepable: (a.ProgFlags & ProgFlags.BPF_F_SLEEPABLE) != 0);
            err = resolver.Resolve(insns);
            if (err < 0)
            {
                message = resolver.Message;
                return err;
            }
            VerifierResult? verdict = null;
            if (_options.Verify)
            {
                VerifierOps ops = host?.Ops ?? (type == BpfProgType.Tracing
                    ? new TracingOps(_options.KernelBtf, expected, a.AttachBtfId, (a.ProgFlags & ProgFlags.BPF_F_SLEEPABLE) != 0)
                    : ProgramTypeOps.For(type, caps) ?? BaseOps.For(type));
                err = Verify(a, ops, original, resolver, caps, license, expected, btf, funcs, out message, out verdict);
                if (err < 0)
                {
                    foreach (Map map in resolver.UsedMaps) map.Release();
                    return err;
                }
                CtxRewrite.Apply(type, insns, verdict!); // kernel: convert_ctx_accesses
            }
            bool verified = verdict is not null;
            IProgramEngine engine;
            try
            {
                engine = ProgramEngines.Create(insns, _options.Engine, new InterpreterOptions
                {
                    Checked = !verified, // the verifier is the safety boundary; unverified programs run checked
                    Helpers = host?.Helpers ?? _helpers,
                    InstructionBudget = verified ? 0 : _options.InstructionBudget, // verified programs terminate
                    ProbeLoads = verdict is { ProbeMem: var probe } && Array.IndexOf(probe, true) >= 0 ? probe : null,
                });
            }
            catch (BpfFormatException e)
            {
                foreach (Map map in resolver.UsedMaps) map.Release();
                message = e.Message;
                return -Errno.EINVAL;
            }
            var spec = new ProgramSpec(type, name, expected, a.ProgFlags, license, tag, btf,
                insns, [.. resolver.UsedMaps], [.. resolver.Loads]) { MaxCtxOffset = verdict?.MaxCtxOffset ?? 0 };
            btf = null; // the program holds it now
            program = new LoadedProgram(spec, engine, Epochs, Maps);
            return CheckTailCallMaps(ref program);
        }
        finally
        {
            btf?.Release();
        }
    }

    // kernel: bpf_check. The verifier sees the program as loaded (map fds, not addresses), with the map each
    // map-referencing load resolved to.
    private int Verify(in ProgLoadAttr a, VerifierOps ops, Instruction[] original, PseudoResolver resolver,
        VerifierCapabilities caps, string license, uint expected, BtfObject? btf, List<VerifierFuncInfo>? funcs,
        out string? message, out VerifierResult? result)
    {
        result = null;
        List<VerifierLineInfo>? lines = null;
        if (btf is not null)
        {
            int err = LineInfo.Read(a, btf, original, out lines, out message); // kernel: check_btf_line
            if (err < 0) return err;
        }
        var loads = new Dictionary<int, VerifierMapLoad>();
        foreach (MapLoad load in resolver.Loads)
            loads[load.Index] = new VerifierMapLoad(load.Map, load.Kind == BPF_PSEUDO_MAP_VALUE, load.Offset);
        var options = new VerifierOptions
        {
            Capabilities = caps,
            LogLevel = a.LogLevel,
            StrictAlignment = (a.ProgFlags & ProgFlags.BPF_F_STRICT_ALIGNMENT) != 0,
            TestStateFreq = (a.ProgFlags & ProgFlags.BPF_F_TEST_STATE_FREQ) != 0,
            AnyAlignment = (a.ProgFlags & ProgFlags.BPF_F_ANY_ALIGNMENT) != 0,
            Sleepable = (a.ProgFlags & ProgFlags.BPF_F_SLEEPABLE) != 0,
            ExpectedAttachType = expected,
            GplCompatible = IsGplCompatible(license),
            PossibleCpus = PossibleCpus,
            LineInfo = lines,
            Btf = funcs is null ? null : btf!.Types.Blob,
            KernelBtf = _options.KernelBtf,
            FuncInfo = funcs,
        };
        result = BpfVerifier.Verify(original, ops, options, loads);
        message = result.Log;
        return result.Errno;
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

    // kernel: bpf_prog_test_run; each program type stages its own run (see TestRun).
    private int ProgTestRun(ref BpfAttr attr, AttrOut io)
    {
        TestRunAttr t = attr.TestRun;
        if ((t.CtxSizeIn != 0) != (t.CtxIn != 0) || (t.CtxSizeOut != 0) != (t.CtxOut != 0)) return -Errno.EINVAL;
        int err = GetProgram(t.ProgFd, out LoadedProgram? program);
        if (err < 0) return err;
        try
        {
            return HostType(program!.Type) is { } host
                ? HostTestRun.Run(program, host.Type.ContextSize, ref attr, io, PossibleCpus)
                : TestRun.Run(program, ref attr, io, PossibleCpus);
        }
        finally
        {
            program!.Release();
        }
    }
}
