using System.Runtime.CompilerServices;
using BpfSharp.ProgramTypes;
using BpfSharp.Syscall;
using BpfSharp.Uapi;

namespace BpfSharp;

/// <summary>
/// A hook whose programs get a <typeparamref name="TContext"/> in r1: a host-defined type's context struct, or the
/// context a tracing type reads (<c>struct pt_regs</c> for BPF_PROG_TYPE_KPROBE, <c>struct bpf_perf_event_data</c>
/// for PERF_EVENT, the u64 argument array of a RAW_TRACEPOINT, the record of a TRACEPOINT), filled by the host.
/// <code>
/// using var hook = new Hook&lt;Request&gt;(system, requestType, "on_request");
/// using BpfLink link = hook.Attach(program);
/// var request = new Request { Length = 512 };
/// ulong verdict = hook.Fire(ref request);   // request.Verdict holds what the program wrote
/// </code>
/// Firing allocates nothing and may happen on any thread. Writable fields the programs store into are visible in
/// the caller's struct when <see cref="Fire(ref TContext)"/> returns; a later program sees what an earlier one wrote.
/// </summary>
/// <typeparam name="TContext">The context struct, laid out as the programs expect it.</typeparam>
public sealed unsafe class Hook<TContext> : Hook where TContext : unmanaged
{
    // A tracepoint program may read the 8 bytes before the record (kernel: a negative offset whose read ends at the
    // record's start passes the attach check); fires copy the record behind that much zeroed headroom.
    private const int TracepointHeadroom = 8;

    private readonly bool _writable;
    private readonly ThreadLocal<byte[]>? _staging;

    /// <summary>
    /// Declares an event point for programs of <paramref name="programType"/>: a host type registered with
    /// <paramref name="system"/> (whose context must be <typeparamref name="TContext"/>'s size), or KPROBE, PERF_EVENT
    /// (<typeparamref name="TContext"/> at least as large as their context), RAW_TRACEPOINT and TRACING (one u64 per
    /// argument, at most 12; for fexit the return value follows the arguments) or TRACEPOINT (the record; at least
    /// the 8-byte common header). A TRACING program's pointer arguments are read by probe loads: the memory they point
    /// to must be registered as kernel memory in the system's <see cref="Runtime.Helpers.HelperEnvironment.ProbeMemory"/>
    /// (anything else reads 0). The kernel's own test run for fentry/fexit calls fixed kernel functions and takes no
    /// context; a hook is the way to run them on a host's arguments.
    /// </summary>
    /// <exception cref="ArgumentException">The type has no context a host can supply this way (a packet type, a type not
    /// modelled), or <typeparamref name="TContext"/>'s size does not fit it.</exception>
    public Hook(BpfSystem system, BpfProgType programType, string name = "")
        : base(system, programType, name ?? "")
    {
        int size = sizeof(TContext);
        if (system.HostType(programType) is { } host)
        {
            if (size != host.Type.ContextSize)
                throw SizeMismatch($"the context of {host.Type.Name} is {host.Type.ContextSize} bytes");
            _writable = host.Type.HasWritableFields;
            return;
        }
        switch (programType)
        {
            case BpfProgType.Kprobe when size < TracingContextLayout.PtRegsSize:
                throw SizeMismatch($"struct pt_regs is {TracingContextLayout.PtRegsSize} bytes");
            case BpfProgType.PerfEvent when size < TracingContextLayout.PerfEventDataSize:
                throw SizeMismatch($"struct bpf_perf_event_data is {TracingContextLayout.PerfEventDataSize} bytes");
            case BpfProgType.RawTracepoint when size % 8 != 0 || size > TracingContextLayout.RawTracepointArgs * 8:
                throw SizeMismatch("a raw tracepoint passes at most 12 u64 arguments");
            case BpfProgType.Tracing when size % 8 != 0 || size > TracingContextLayout.RawTracepointArgs * 8:
                throw SizeMismatch("a traced function passes at most 12 u64 arguments");
            case BpfProgType.Tracepoint when size < 8 || size > TracingContextLayout.PerfMaxTraceSize:
                throw SizeMismatch($"a tracepoint record holds the 8-byte common header and at most {TracingContextLayout.PerfMaxTraceSize} bytes");
            case BpfProgType.Kprobe or BpfProgType.PerfEvent or BpfProgType.RawTracepoint or BpfProgType.Tracing:
                break;
            case BpfProgType.Tracepoint:
                _staging = new ThreadLocal<byte[]>(() => GC.AllocateArray<byte>(TracepointHeadroom + size, pinned: true));
                break;
            default:
                throw new ArgumentException(
                    $"{TypeName(programType)} programs cannot run on a host-supplied {typeof(TContext).Name}: hooks take host-defined types, " +
                    "KPROBE, PERF_EVENT, RAW_TRACEPOINT, TRACING and TRACEPOINT", nameof(programType));
        }

        ArgumentException SizeMismatch(string why) => new(
            $"{typeof(TContext).Name} is {size} bytes, which does not fit {TypeName(programType)} programs: {why}", nameof(programType));
    }

    /// <summary>Runs the attached programs on <paramref name="context"/>; returns the last one's r0 (0 if none is attached).</summary>
    /// <exception cref="Runtime.BpfRuntimeException">An unverified (checked-mode) program faulted.</exception>
    public ulong Fire(ref TContext context)
    {
        var last = new LastResult();
        Fire(ref context, ref last);
        return last.Value;
    }

    /// <summary>
    /// Runs the attached programs on <paramref name="context"/> in attach order, handing each result to
    /// <paramref name="aggregator"/>, which decides how they combine and whether the rest run.
    /// </summary>
    /// <exception cref="Runtime.BpfRuntimeException">An unverified (checked-mode) program faulted; later programs did not run.</exception>
    public void Fire<TAggregator>(ref TContext context, ref TAggregator aggregator)
        where TAggregator : IHookAggregator, allows ref struct
    {
        if (_staging is not null)
        {
            FireStaged(in context, ref aggregator);
            return;
        }
        fixed (TContext* p = &context)
            RunPrograms((nint)p, sizeof(TContext), _writable, ref aggregator);
    }

    // Tracepoints: the record is read-only, so a copy behind the headroom is all the programs need.
    private void FireStaged<TAggregator>(in TContext context, ref TAggregator aggregator)
        where TAggregator : IHookAggregator, allows ref struct
    {
        byte[] staging = _staging!.Value!;
        byte* record = (byte*)Unsafe.AsPointer(ref staging[TracepointHeadroom]); // pinned at allocation
        Unsafe.WriteUnaligned(record, context);
        RunPrograms((nint)record, sizeof(TContext), writable: false, ref aggregator);
    }

    /// <summary>kernel: the max_ctx_offset checks of perf_event_attach_bpf_prog (tracepoints) and bpf_probe_register (raw tracepoints).</summary>
    private protected override void CheckAttach(LoadedProgram program)
    {
        if (ProgramType == BpfProgType.Tracepoint && program.MaxCtxOffset > (uint)sizeof(TContext))
            throw BpfException.For(BpfCommand.LinkCreate, -Errno.EACCES,
                $"program {program.Name} reads the tracepoint record up to byte {program.MaxCtxOffset}; hook {Name} supplies {sizeof(TContext)}");
        if (ProgramType is BpfProgType.RawTracepoint or BpfProgType.Tracing && program.MaxCtxOffset > (uint)sizeof(TContext))
            throw BpfException.For(BpfCommand.LinkCreate, -Errno.EINVAL,
                $"program {program.Name} reads raw tracepoint arguments up to byte {program.MaxCtxOffset}; hook {Name} supplies {sizeof(TContext) / 8}");
    }
}
