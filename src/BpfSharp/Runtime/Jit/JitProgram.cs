using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using BpfSharp.Isa;

namespace BpfSharp.Runtime.Jit;

/// <summary>
/// A program compiled to native code through IL: each subprogram is a collectible <see cref="System.Reflection.Emit.DynamicMethod"/>
/// (eBPF registers are IL locals, memory is <c>ldind</c>/<c>stind</c> on native addresses, helpers are direct calls),
/// which RyuJIT compiles on the first run (a subprogram too large for one optimized method is cut into several,
/// see <see cref="MethodPiece"/>). Same contract as <see cref="Interpreter"/>: built once, then immutable;
/// <see cref="Run"/> may be called from many threads at once, each with its own <see cref="RunContext"/>; a run
/// allocates nothing; results, memory effects and faults are the interpreter's.
/// </summary>
/// <remarks>
/// The code is freed by the garbage collector once the program is no longer referenced. Where dynamic code is not
/// supported (NativeAOT), use <see cref="ProgramEngines.Create(ReadOnlySpan{Instruction}, ExecutionEngine, InterpreterOptions?)"/>, which falls back to the interpreter.
/// </remarks>
public sealed unsafe partial class JitProgram : IProgramEngine
{
    private readonly JitFunction?[] _entries;
    private readonly JitFunction? _main;       // null for a leaf
    private readonly JitLeafFunction? _leaf;   // a leaf program (see IsLeaf)
    private readonly JitLeafFunction? _bare;   // a leaf program that never names r10: no frame at all
    private readonly object[] _targets;        // argument 0 of every method
    private nint _bareEntry;                   // _bare's entry point, taken on the first run (0 until then)
    private readonly bool[] _subprograms;
    private readonly long _budget;
    private readonly bool _checked;
    private readonly bool _singleFrame;
    private readonly bool _zeroFrame;
    private readonly DecodedInsn[] _code;      // kept for DumpListing
    private readonly BpfHelper?[] _helpers;
    private readonly HelperFlags[] _helperFlags;
    private readonly int _pieceInstructions;

    /// <summary>Validates, pre-decodes and compiles <paramref name="program"/>.</summary>
    /// <exception cref="BpfFormatException">The program is not valid (see <see cref="InstructionDecoder.Validate"/>) or calls a kfunc.</exception>
    /// <exception cref="PlatformNotSupportedException">Dynamic code is not supported in this process.</exception>
    public JitProgram(ReadOnlySpan<Instruction> program, JitOptions? options = null)
    {
        if (!RuntimeFeature.IsDynamicCodeSupported)
            throw new PlatformNotSupportedException("the JIT needs dynamic code; use ProgramEngines.Create to fall back to the interpreter");
        options ??= new JitOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.InstructionBudget, nameof(options));
        long start = Stopwatch.GetTimestamp();
        BpfHelper?[] helpers = options.Helpers?.ToTable() ?? [];
        _helperFlags = options.Helpers?.ToFlagTable(helpers.Length) ?? [];
        DecodedInsn[] code = PreDecoder.Decode(program, helpers, out _subprograms, options.ProbeLoads);
        _code = code;
        _helpers = helpers;
        _budget = options.InstructionBudget;
        _checked = options.Checked;
        _singleFrame = Array.IndexOf(_subprograms, true, 1) < 0;
        bool usesStack = UsesR10(code);
        _zeroFrame = _checked || !_singleFrame || usesStack;
        bool leaf = !_checked && _budget == 0 && _singleFrame && IsLeaf(code, helpers);
        _pieceInstructions = options.PieceInstructions;
        var compiler = new JitCompiler(code, _subprograms, helpers, _helperFlags, _checked, _budget, leaf, null, _pieceInstructions);
        (_entries, _leaf, _targets, IlSize) = compiler.Compile(null);
        MethodCosts = compiler.MethodCosts;
        _main = _entries[0];
        if (_main is null && _leaf is null) throw new BpfFormatException("the program is empty");
        if (!usesStack) _bare = _leaf;
        InstructionCount = program.Length;
        EmitTime = Stopwatch.GetElapsedTime(start);
    }

    /// <summary>Number of instruction slots in the program.</summary>
    public int InstructionCount { get; }
    /// <summary>True if runs are in checked mode.</summary>
    public bool Checked => _checked;
    /// <summary>Instructions one run may execute, or 0 for unlimited.</summary>
    public long InstructionBudget => _budget;
    /// <summary>Always <see cref="ExecutionEngine.Jit"/>.</summary>
    public ExecutionEngine Engine => ExecutionEngine.Jit;
    /// <summary>Bytes of IL emitted for all methods together.</summary>
    public int IlSize { get; }
    /// <summary>The IL cost of each method the program was compiled to (one per subprogram, or its pieces and itself).</summary>
    internal IReadOnlyList<IlCost> MethodCosts { get; }
    /// <summary>Time spent decoding and emitting IL (RyuJIT compiles each method on its first call, not counted here).</summary>
    public TimeSpan EmitTime { get; }

    // A verified program that never names r10 cannot reach its stack (no address of it exists anywhere the
    // program or a helper could get it from), so its frame need not be zeroed.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool UsesR10(DecodedInsn[] code)
    {
        foreach (ref readonly DecodedInsn i in code.AsSpan())
        {
            if (i.Op is ExecOp.Unreachable or ExecOp.FellOffEnd) continue;
            if (i.Dst == 10 || i.Src == 10) return true;
        }
        return false;
    }

    // A leaf: an unchecked, unbudgeted program (so not a callback target) without calls of any kind (but helpers the
    // JIT inlines, InlinedHelpers) and without packet loads never reaches its run context beyond r1-r5 and keeps no
    // state between instructions outside its own frame, so its run needs none of the run bookkeeping (BeginRun/EndRun,
    // the fault handler, JitState): nothing in it can fault, call out or ask to exit early.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool IsLeaf(DecodedInsn[] code, BpfHelper?[] helpers)
    {
        foreach (ref readonly DecodedInsn i in code.AsSpan())
        {
            if (i.Op == ExecOp.Call && (ulong)i.Imm < (ulong)helpers.Length && InlinedHelpers.IsPrandom(helpers[i.Imm]))
                continue;
            if (i.Op is ExecOp.Call or ExecOp.CallUnknown or ExecOp.CallX or ExecOp.CallLocal
                or >= ExecOp.LdAbsB and <= ExecOp.LdIndW or >= ExecOp.ProbeLdxB and <= ExecOp.ProbeLdxSxW)
                return false;
        }
        return true;
    }

    /// <summary>
    /// The IL of every method as text (compiled again for the listing, never run), each eBPF instruction of
    /// <paramref name="program"/> (the instructions this was built from) as a comment before its IL.
    /// </summary>
    public string DumpListing(ReadOnlySpan<Instruction> program)
    {
        var listing = new StringBuilder();
        var compiler = new JitCompiler(_code, _subprograms, _helpers, _helperFlags, _checked, _budget, _leaf is not null, program.ToArray(), _pieceInstructions);
        compiler.Emit(listing);
        listing.Append($"// {IlSize} bytes of IL in all ({(_checked ? "checked" : "unchecked")} mode); RyuJIT compiles each method on its first call\n");
        return listing.ToString();
    }

    /// <summary>
    /// Makes RyuJIT compile every method of the program now (each method called without a run context only returns),
    /// so that no run pays for it: BPF_PROG_TEST_RUN calls this before it starts timing, as the kernel's programs are
    /// compiled at load. Calling it again, or from several threads, is harmless.
    /// </summary>
    public void Prepare()
    {
        if (_bare is { } bare)
        {
            _bareEntry = (nint)bare(null!, 0);
            return;
        }
        _leaf?.Invoke(null!, 0);
        foreach (JitFunction? entry in _entries)
            entry?.Invoke(null!, null, 0, 0, 0, 0, 0, 0);
    }

    /// <summary>Runs the program once and returns r0.</summary>
    /// <exception cref="BpfRuntimeException">The run faulted (the same faults as the interpreter's).</exception>
    public ulong Run(RunContext run)
    {
        ArgumentNullException.ThrowIfNull(run);
        // A leaf that never names r10 needs no frame: a call through its entry point, small enough to inline into the caller.
        nint entry = _bareEntry;
        if (entry != 0)
            return ((delegate*<object[], RunContext, ulong, ulong>)entry)(_targets, run, 0);
        return RunOnStack(run);
    }

    [SkipLocalsInit]
    private ulong RunOnStack(RunContext run)
    {
        if (_bare is { } bare)
        {
            // The first run compiles the method; with no run context it returns its entry point (the delegate keeps
            // the method alive as long as this program). Two first runs at once store the same value.
            _bareEntry = (nint)bare(null!, 0);
            return bare(run, 0);
        }
        if (_leaf is { } leaf)
        {
            byte* leafFrame = stackalloc byte[BpfStack.FrameSize + 16];
            return leaf(run, StackTop(leafFrame, BpfStack.FrameSize));
        }
        if (_singleFrame)
        {
            // No subprograms: frame 0 is all the stack the run can reach (512 bytes instead of the 4 KiB block).
            byte* frame = stackalloc byte[BpfStack.FrameSize + 16];
            return RunOn(run, frame, BpfStack.FrameSize);
        }
        byte* block = stackalloc byte[BpfStack.Size + 16];
        return RunOn(run, block, BpfStack.Size);
    }

    // The top of the 16-aligned stack in a block of blockSize bytes (plus 16 for alignment) at block, with frame 0
    // zeroed when the program may read it (deeper frames are zeroed on first entry).
    private ulong StackTop(byte* block, int blockSize)
    {
        ulong top = (((ulong)block + 15) & ~15UL) + (ulong)blockSize;
        if (_zeroFrame)
            BpfStack.ClearFrame((byte*)(top - BpfStack.FrameSize));
        return top;
    }

    // The run on a stack block of blockSize bytes (plus 16 for alignment) at block.
    private ulong RunOn(RunContext run, byte* block, int blockSize)
    {
        ulong top = StackTop(block, blockSize);
        JitState state;
        state.StackTop = top;
        state.Depth = 0;
        state.ZeroedDepth = 0;
        state.Remaining = _budget;
        run.BeginRun(top, _checked, this, (nint)(&state));
        try
        {
            ulong r0 = _main!(run, &state, run.R1, run.R2, run.R3, run.R4, run.R5, top);
            if (_checked)
                run.CheckNoSpinLockHeld();
            return r0;
        }
        finally
        {
            run.EndRun();
        }
    }
}
