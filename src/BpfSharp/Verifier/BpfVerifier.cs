using System.Diagnostics;
using System.Globalization;
using BpfSharp.Isa;
using BpfSharp.Uapi;

namespace BpfSharp.Verifier;

/// <summary>
/// The verifier (kernel: bpf_check): the control-flow pass (<see cref="Cfg"/>), then a walk of every path that
/// simulates every instruction on the abstract state (kernel: do_check), rejecting anything the kernel
/// rejects for safety, with the kernel's log. One instance verifies one program once; not thread-safe.
/// </summary>
public sealed partial class BpfVerifier
{
    /// <summary>The deepest stack of pending branches (kernel: BPF_COMPLEXITY_LIMIT_JMP_SEQ).</summary>
    public const int MaxPendingBranches = 8192;

    private readonly Instruction[] _insns;
    private readonly VerifierOps _ops;
    private readonly VerifierOptions _opt;
    private readonly VerifierCapabilities _caps;
    private readonly VerifierLog _log;
    private readonly IReadOnlyDictionary<int, VerifierMapLoad> _mapLoads;
    private readonly Stack<PendingBranch> _branches = new();
    private readonly RegType[] _auxPtrType;
    private readonly bool[] _probeMem;
    private readonly int[] _ctxFieldSize;
    private uint _maxCtxOffset; // kernel: prog->aux->max_ctx_offset
    private CfgResult _cfg = null!;
    private int[] _stackDepth = [];
    private VerifierState _cur = null!;
    private int _insnIdx;
    private int _prevInsnIdx;
    private int _insnProcessed;
    private uint _idGen;
    private bool _strictAlignment;

    // the log's bookkeeping of what changed since the last printed state (kernel: scratched_regs, prev_log_pos)
    private uint _scratchedRegs;
    private ulong _scratchedStack;
    private int _prevLogPos;
    private int _prevInsnPrintPos;

    private readonly record struct PendingBranch(VerifierState State, int InsnIdx, int PrevInsnIdx, int LogPos);

    private BpfVerifier(Instruction[] insns, VerifierOps ops, VerifierOptions options,
        IReadOnlyDictionary<int, VerifierMapLoad>? mapLoads)
    {
        _insns = insns;
        _ops = ops;
        _opt = options;
        _caps = options.Capabilities;
        _log = new VerifierLog(options.LogLevel);
        _mapLoads = mapLoads ?? new Dictionary<int, VerifierMapLoad>();
        _auxPtrType = new RegType[insns.Length];
        _probeMem = new bool[insns.Length];
        _ctxFieldSize = new int[insns.Length];
        _strictAlignment = options.StrictAlignment && !options.AnyAlignment;
    }

    /// <summary>
    /// Verifies <paramref name="insns"/> (as loaded: pseudo instructions not yet rewritten) for the program
    /// type <paramref name="ops"/> describes. <paramref name="mapLoads"/> gives, by instruction index, the map
    /// each map-referencing 64-bit immediate load resolved to. Never throws for a bad program: the verdict,
    /// errno and log are in the result.
    /// </summary>
    public static VerifierResult Verify(ReadOnlySpan<Instruction> insns, VerifierOps ops, VerifierOptions options,
        IReadOnlyDictionary<int, VerifierMapLoad>? mapLoads = null)
    {
        ArgumentNullException.ThrowIfNull(ops);
        ArgumentNullException.ThrowIfNull(options);
        CheckFuncInfoOption(options);
        var v = new BpfVerifier(insns.ToArray(), ops, options, mapLoads);
        return v.Run();
    }

    private bool BpfCapable => _caps.BpfCapable;

    // The func_info records are checked at load (PROG_LOAD: check_btf_func_early); here only that they fit the BTF.
    private static void CheckFuncInfoOption(VerifierOptions options)
    {
        if (options.FuncInfo is not { Count: > 0 } funcs)
            return;
        Elf.Btf.BtfBlob btf = options.Btf
            ?? throw new ArgumentException("func_info needs the BTF it refers to", nameof(options));
        for (int i = 0; i < funcs.Count; i++)
        {
            uint id = funcs[i].TypeId;
            if (id == 0 || id >= (uint)btf.TypeCount || btf.GetType(id).Kind != Elf.Btf.BtfKind.Func
                || btf.GetType(btf.GetType(id).Type).Kind != Elf.Btf.BtfKind.FuncProto
                || (i == 0 ? funcs[i].Instruction != 0 : funcs[i].Instruction <= funcs[i - 1].Instruction))
                throw new ArgumentException($"func_info record {i} does not name a function of the BTF in order", nameof(options));
        }
    }

    private VerifierResult Run()
    {
        long start = Stopwatch.GetTimestamp();
        int err;
        _cfg = Cfg.Run(_insns, new CfgOptions(_caps.BpfCapable), CheckBtfInfo);
        _stackDepth = new int[_cfg.IsValid ? _cfg.Subprogs.Length : _cfg.FailedSubprogCount];
        if (!_cfg.IsValid)
        {
            if (_cfg.Error is { } message) _log.Write(message.EndsWith('\n') ? message : message + "\n");
            PrintStats(Stopwatch.GetElapsedTime(start));
            return Result(-Math.Abs(_cfg.Errno));
        }
        err = _ops.CheckAttachTarget(out string? attachMessage); // kernel: check_attach_btf_id
        if (err < 0)
        {
            if (attachMessage is not null) _log.Write(attachMessage + "\n");
            PrintStats(Stopwatch.GetElapsedTime(start));
            return Result(err);
        }
        ComputeScc();
        if (_log.Level2On)
            LiveRegisters.Print(_log, _insns, DisassemblerOptions.Default with { ShowIndex = false, Imm64Text = PseudoFuncText }, _scc);
        try
        {
            DoCheckCommon(0); // kernel: do_check_main; a successful level-1 walk leaves nothing in the log
            DoCheckSubprogs();
            CheckMaxStackDepth();
            CheckTailCallFixups(); // kernel: do_misc_fixups, then fixup_call_args
            AddMayGotoStack();
            CheckInterpreterCallArgs();
            err = 0;
        }
        catch (VerifierException e)
        {
            err = e.Errno;
        }
        PrintStats(Stopwatch.GetElapsedTime(start));
        return Result(err);
    }

    private VerifierResult Result(int errno) =>
        new(errno, _log.ToString(), _insnProcessed, _stackDepth, _ctxFieldSize, _auxPtrType, _maxCtxOffset)
        {
            MaxStatesPerInsn = _maxStatesPerInsn,
            TotalStates = _totalStates,
            PeakStates = _peakStates,
            ProbeMem = _probeMem,
        };

    private void PrintStats(TimeSpan elapsed)
    {
        var sb = _log.Builder;
        if ((_log.Level & VerifierLog.Stats) != 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"verification time {(long)elapsed.TotalMicroseconds} usec\n");
            sb.Append("stack depth ");
            for (int i = 0; i < _stackDepth.Length; i++)
            {
                if (i > 0) sb.Append('+');
                sb.Append(_stackDepth[i]);
            }
            sb.Append('\n');
        }
        sb.Append(CultureInfo.InvariantCulture,
            $"processed {_insnProcessed} insns (limit {Cfg.ComplexityLimitInsns}) max_states_per_insn {_maxStatesPerInsn} total_states {_totalStates} peak_states {_peakStates} mark_read 0\n");
    }

    /// <summary>Writes the kernel's message and ends the verification with <paramref name="errno"/> (negative).</summary>
    private VerifierException Fail(int errno, string message)
    {
        _log.Write(message);
        _log.Write("\n");
        return new VerifierException(errno);
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
