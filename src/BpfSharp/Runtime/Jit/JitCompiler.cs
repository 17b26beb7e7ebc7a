using System.Reflection.Emit;
using System.Reflection;
using System.Text;
using BpfSharp.Isa;

namespace BpfSharp.Runtime.Jit;

/// <summary>
/// How a compiled method is entered from C# (a run, a callback): a delegate closed over the method's first
/// parameter, the target array (an open static delegate would shuffle all nine arguments on every call).
/// </summary>
internal unsafe delegate ulong JitFunction(RunContext run, JitState* state, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5, ulong r10);

/// <summary>
/// How a leaf program (see <see cref="JitProgram"/>) is entered: only the run context, whose initial r1-r5 the method
/// loads itself (the ones it reads), and r10; three register arguments with the target array the delegate is closed over.
/// Called with a null run context, the method returns its own entry point, for calls through a function pointer
/// (<c>delegate*&lt;object[], RunContext, ulong, ulong&gt;</c>, the target array first).
/// </summary>
internal delegate ulong JitLeafFunction(RunContext run, ulong r10);

/// <summary>
/// eBPF to IL: one <see cref="DynamicMethod"/> per subprogram (slot 0, every bpf-to-bpf call target, every
/// <c>BPF_PSEUDO_FUNC</c> target), holding the instructions reachable from its entry without following calls.
/// A call becomes an IL <c>call</c> of the callee's method with a fresh frame on the run's native stack.
/// A subprogram too large for RyuJIT to optimize as one method is compiled as pieces (<see cref="MethodPiece"/>).
/// Works from the <see cref="PreDecoder"/>'s slots, the interpreter's decoding, so both engines read the
/// same semantics table.
/// </summary>
internal sealed class JitCompiler
{
    /// <summary>Parameter types of every compiled method: the target array, then those of <see cref="JitFunction"/>.</summary>
    internal static readonly Type[] Parameters =
    [
        typeof(object[]), typeof(RunContext), typeof(JitState).MakePointerType(),
        typeof(ulong), typeof(ulong), typeof(ulong), typeof(ulong), typeof(ulong), typeof(ulong),
    ];

    private readonly DecodedInsn[] _code;
    private readonly Instruction[]? _program; // for listing comments only
    private readonly BpfHelper?[] _helpers;
    private readonly HelperFlags[] _helperFlags;
    private readonly List<object> _targets;
    private readonly HelperCallSite?[] _sites;
    private readonly DynamicMethod?[] _methods;

    /// <summary>Parameter types of a leaf program's method: the target array, then those of <see cref="JitLeafFunction"/>.</summary>
    internal static readonly Type[] LeafParameters = [typeof(object[]), typeof(RunContext), typeof(ulong)];

    // leaf: the program is a leaf (a single method that never needs its JitState: unchecked, unbudgeted, no calls but
    // inlined helpers, no packet loads), compiled with the JitLeafFunction signature.
    internal JitCompiler(DecodedInsn[] code, bool[] subprograms, BpfHelper?[] helpers, HelperFlags[] helperFlags, bool isChecked, long budget, bool leaf, Instruction[]? program, int pieceInstructions = 0)
    {
        PieceInstructions = pieceInstructions;
        _code = code;
        _program = program;
        _helpers = helpers;
        _helperFlags = helperFlags;
        Checked = isChecked;
        Budget = budget;
        Leaf = leaf;
        _targets = [helpers];
        _sites = new HelperCallSite?[helpers.Length];
        _methods = new DynamicMethod?[code.Length];
        for (int pc = 0; pc < subprograms.Length; pc++)
        {
            if (subprograms[pc])
                _methods[pc] = new DynamicMethod($"bpf_sub_{pc}", typeof(ulong), leaf ? LeafParameters : Parameters, typeof(JitCompiler).Module, skipVisibility: true);
        }
    }

    internal bool Checked { get; }
    internal long Budget { get; }
    internal bool Leaf { get; }
    internal BpfHelper?[] Helpers => _helpers;

    /// <summary>True if helper <paramref name="id"/> is registered <see cref="HelperFlags.Pure"/>.</summary>
    internal bool IsPure(int id) => (uint)id < (uint)_helperFlags.Length && (_helperFlags[id] & HelperFlags.Pure) != 0;
    internal DecodedInsn[] Code => _code;

    /// <summary>
    /// Compiles every subprogram; returns a delegate per subprogram entry (null elsewhere; none for a leaf), the leaf
    /// program's delegate (null unless a leaf), the target array (argument 0 of every method) and the IL size.
    /// </summary>
    public (JitFunction?[] Entries, JitLeafFunction? Leaf, object[] Targets, int IlBytes) Compile(StringBuilder? listing)
    {
        int ilBytes = Emit(listing);
        object[] targets = [.. _targets];
        var entries = new JitFunction?[_methods.Length];
        if (Leaf)
            return (entries, (JitLeafFunction?)_methods[0]?.CreateDelegate(typeof(JitLeafFunction), targets), targets, ilBytes);
        for (int pc = 0; pc < _methods.Length; pc++)
            entries[pc] = (JitFunction?)_methods[pc]?.CreateDelegate(typeof(JitFunction), targets);
        return (entries, null, targets, ilBytes);
    }

    /// <summary>Emits the IL of every method (and writes it to <paramref name="listing"/>); returns the IL size.</summary>
    public int Emit(StringBuilder? listing)
    {
        int ilBytes = 0;
        for (int pc = 0; pc < _methods.Length; pc++)
        {
            if (_methods[pc] is not { } method) continue;
            StringBuilder? text = listing is null ? null : new StringBuilder();
            text?.Append($".method bpf_sub_{pc} (insn {pc})\n");
            var il = new IlWriter(method, text, _code.Length * 10); // about 8 bytes of IL per instruction
            var compiler = new MethodCompiler(this, il, pc);
            var costs = new IlCost[_code.Length];
            compiler.Emit(costs);
            MethodPiece[]? pieces = MethodPieces.Plan(_code, pc, compiler.Flow.Reachable, costs, PieceInstructions);
            if (pieces is null)
            {
                _methodCosts.Add(il.Cost);
                il.Finish();
                ilBytes += il.Offset;
                text?.Append($"// {il.Offset} bytes of IL\n\n");
                listing?.Append(text);
                continue;
            }
            ilBytes += EmitPieces(method, pc, pieces, compiler.Flow, listing);
        }
        return ilBytes;
    }

    /// <summary>The IL cost of every method written, subprograms' and pieces' (see <see cref="IlCost"/>).</summary>
    internal IReadOnlyList<IlCost> MethodCosts => _methodCosts;

    private readonly List<IlCost> _methodCosts = [];

    /// <summary>Reachable instructions per piece at most (0: as many as RyuJIT compiles with full optimization; see <see cref="IlCost"/>).</summary>
    internal int PieceInstructions { get; }

    // The subprogram at entry as pieces (a method each) and its own method calling them; returns the IL size.
    private int EmitPieces(DynamicMethod method, int entry, MethodPiece[] pieces, (bool[], bool[]) flow, StringBuilder? listing)
    {
        int ilBytes = 0;
        var methods = new MethodInfo[pieces.Length];
        for (int k = 0; k < pieces.Length; k++)
        {
            MethodPiece piece = pieces[k];
            var pieceMethod = new DynamicMethod($"bpf_sub_{entry}_part_{k}", typeof(int), MethodCompiler.PieceParameters, typeof(JitCompiler).Module, skipVisibility: true);
            methods[k] = pieceMethod;
            listing?.Append($".method bpf_sub_{entry}_part_{k} (insns {piece.Start}-{piece.End - 1}, entered at {string.Join(", ", piece.Entries)})\n");
            var il = new IlWriter(pieceMethod, listing, (piece.End - piece.Start) * 10);
            new MethodCompiler(this, il, entry, piece, flow).Emit();
            _methodCosts.Add(il.Cost);
            il.Finish();
            ilBytes += il.Offset;
            listing?.Append($"// {il.Offset} bytes of IL\n\n");
        }
        listing?.Append($".method bpf_sub_{entry} (insn {entry}, in {pieces.Length} pieces)\n");
        var dispatcher = new IlWriter(method, listing, 256 + pieces.Length * 32);
        new MethodCompiler(this, dispatcher, entry, flow: flow).EmitDispatcher(pieces, methods);
        _methodCosts.Add(dispatcher.Cost);
        dispatcher.Finish();
        listing?.Append($"// {dispatcher.Offset} bytes of IL\n\n");
        return ilBytes + dispatcher.Offset;
    }

    /// <summary>The method of the subprogram starting at <paramref name="pc"/>.</summary>
    internal MethodInfo MethodAt(int pc) =>
        _methods[pc] ?? throw new InvalidOperationException($"insn {pc} is not a subprogram entry (a pre-decoding bug)");

    /// <summary>The index of <paramref name="target"/> in the target array (argument 0 of every method), added if new.</summary>
    internal int TargetIndex(object target)
    {
        for (int i = 0; i < _targets.Count; i++)
        {
            if (ReferenceEquals(_targets[i], target)) return i;
        }
        _targets.Add(target);
        return _targets.Count - 1;
    }

    /// <summary>The (shared) call site of helper <paramref name="id"/>, a registered one.</summary>
    internal HelperCallSite SiteOf(int id) => _sites[id] ??= HelperCallSite.Bind(_helpers[id]!, _targets);

    /// <summary>The instruction at <paramref name="pc"/> in the verifier log's syntax, for the listing.</summary>
    internal string Describe(int pc) =>
        _program is null ? $"insn {pc}: {_code[pc].Op}" : pc >= _program.Length ? $"{pc}: (end of program)" : Disassembler.Format(_program, pc);
}
