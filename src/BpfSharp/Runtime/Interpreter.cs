using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BpfSharp.Isa;

namespace BpfSharp.Runtime;

/// <summary>
/// Runs a BPF program with the exact semantics of RFC 9669. Built once (validation and
/// pre-decoding happen here), then immutable: <see cref="Run"/> may be called from many threads
/// at once, each with its own <see cref="RunContext"/>. A run allocates nothing on the heap: its
/// stack (8 frames of 512 bytes, r10 at the top of the current frame) and registers live on the
/// calling thread's stack.
/// </summary>
/// <remarks>
/// <para>Register conventions: a run starts with r1-r5 from the <see cref="RunContext"/>, r10 at the
/// top of frame 0 and every other register 0; the stack starts zeroed. After any call (helper,
/// callx, bpf-to-bpf, and LD_ABS/LD_IND, which the kernel treats as calls) r1-r5 hold the values
/// they had before it (the kernel makes them unreadable instead). A bpf-to-bpf call starts the
/// callee with r0 and r6-r9 zero, r10 one frame (512 bytes) lower; exit restores the caller's
/// r6-r10. A helper that calls <see cref="RunContext.RequestExit"/> ends the run at once, as does
/// an LD_ABS/LD_IND outside the packet (with r0 = 0, as in the kernel).</para>
/// <para>lddw of every kind loads the 64-bit value of its two imm halves: for the pseudo kinds
/// (map fd, map value, BTF id, ...) a loader must replace the halves with the real value (an
/// address) before the program reaches the interpreter. The exception is <c>BPF_PSEUDO_FUNC</c>:
/// the interpreter itself loads the <see cref="SubprogramPointer"/> of the target subprogram, the
/// callback value that helpers pass to <see cref="RunContext.InvokeCallback"/>.</para>
/// <para>Always checked, in both modes (they cost nothing on the hot path): a call to an
/// unregistered helper id, a bpf-to-bpf call past <see cref="BpfStack.MaxFrames"/> frames and
/// execution falling off the end of the program raise <see cref="BpfRuntimeException"/>.
/// Checked mode adds bounds checks on every load, store and atomic (stack frames of the active
/// calls, <see cref="RunContext.Regions"/>, <see cref="RunContext.Packet"/>), read-only checks and
/// atomic alignment. Division and modulo by zero are never faults.</para>
/// </remarks>
public sealed unsafe partial class Interpreter : IProgramEngine
{
    private readonly DecodedInsn[] _code;
    private readonly bool[] _subprograms;
    private readonly BpfHelper?[] _helpers;
    private readonly long _budget;
    private readonly bool _checked;

    /// <summary>Validates and pre-decodes <paramref name="program"/>.</summary>
    /// <exception cref="BpfFormatException">The program is not valid (see <see cref="InstructionDecoder.Validate"/>) or calls a kfunc.</exception>
    public Interpreter(ReadOnlySpan<Instruction> program, InterpreterOptions? options = null)
    {
        options ??= new InterpreterOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.InstructionBudget, nameof(options));
        _helpers = options.Helpers?.ToTable() ?? [];
        _code = PreDecoder.Decode(program, _helpers, out _subprograms, options.ProbeLoads);
        _budget = options.InstructionBudget;
        _checked = options.Checked;
    }

    /// <summary>Number of instruction slots in the program.</summary>
    public int InstructionCount => _code.Length - 1;
    /// <summary>True if runs are in checked mode.</summary>
    public bool Checked => _checked;
    /// <summary>Instructions one run may execute, or 0 for unlimited.</summary>
    public long InstructionBudget => _budget;
    /// <summary>Always <see cref="ExecutionEngine.Interpreter"/>.</summary>
    public ExecutionEngine Engine => ExecutionEngine.Interpreter;

    /// <summary>Runs the program once and returns r0.</summary>
    /// <exception cref="BpfRuntimeException">The run faulted (see the remarks of <see cref="Interpreter"/>).</exception>
    [SkipLocalsInit]
    public ulong Run(RunContext run)
    {
        ArgumentNullException.ThrowIfNull(run);
        byte* block = stackalloc byte[BpfStack.Size + 16];
        byte* stack = (byte*)(((nuint)block + 15) & ~(nuint)15);
        // Only frame 0 is zeroed here; deeper frames are zeroed when first entered (no frame is
        // reachable before that), so short runs do not pay for clearing all 4 KiB.
        BpfStack.ClearFrame(stack + BpfStack.Size - BpfStack.FrameSize);
        Frame* frames = stackalloc Frame[BpfStack.MaxFrames];
        ExecState state;
        ExecState* s = &state;
        NativeMemory.Clear(s->Regs, 16 * sizeof(ulong));
        ulong top = (ulong)(stack + BpfStack.Size);
        s->Regs[1] = run.R1;
        s->Regs[2] = run.R2;
        s->Regs[3] = run.R3;
        s->Regs[4] = run.R4;
        s->Regs[5] = run.R5;
        s->Regs[10] = top;
        s->Frames = frames;
        s->StackTop = top;
        s->StackLow = top - BpfStack.FrameSize;
        s->Depth = 0;
        s->BaseDepth = 0;
        s->ZeroedDepth = 0;
        s->Budget = _budget;
        s->Remaining = _budget;
        s->MayGotoBudget = MayGotoSemantics.InitialBudget;
        run.BeginRun(top, _checked, this, (nint)s);
        try
        {
            fixed (DecodedInsn* code = _code)
            {
                s->Code = code;
                ulong r0 = Dispatch(s, code, run);
                if (_checked)
                    run.CheckNoSpinLockHeld();
                return r0;
            }
        }
        finally
        {
            run.EndRun();
        }
    }
}
