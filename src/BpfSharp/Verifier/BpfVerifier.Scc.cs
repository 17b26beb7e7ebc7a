using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.Verifier;

// kernel: compute_scc, compute_scc_callchain, maybe_enter_scc, maybe_exit_scc, add_scc_backedge, incomplete_read_marks.
// The loops of the program (strongly connected components of each function's control flow) and, while the walk is
// inside one, whether a path already came back round it to an equivalent state (a backedge): until every path from
// the loop's entry is explored, the marks of its checkpoints are incomplete, so they only prune states within their
// ranges. When the visit ends, the marks its checkpoints gathered are propagated along every backedge until nothing
// changes. The level-2 log traces the visits ("SCC enter (1)": the callchain's callsites, then the loop's number).
public sealed partial class BpfVerifier
{
    // kernel: insn_aux_data[].scc, 0 outside every loop
    private int[] _scc = [];
    // kernel: scc_info visits, by callchain (the callsites of the outer frames, then the loop)
    private Dictionary<string, SccVisit>? _sccVisits;
    // kernel: num_backedges, the states kept for the backedges of the loops being walked (counted in peak_states)
    private int _numBackedges;

    // kernel: MAX_BACKEDGE_ITERS
    private const int MaxBackedgeIters = 64;

    // set when backtracking marks a register or slot of a checkpoint precise (kernel: the changed flag of
    // __mark_chain_precision)
    private bool _precisionChanged;

    private sealed class SccVisit
    {
        public VerifierState? EntryState;
        public int Backedges;
        // kernel: bpf_scc_backedge, the state of the path at the hit and the checkpoint that covered it; newest last
        public readonly List<(VerifierState State, VerifierState Equal)> States = [];
    }

    /// <summary>
    /// Numbers the loops (kernel: compute_scc, Tarjan's algorithm): the instructions of a strongly connected component
    /// of two or more instructions, or of one that jumps to itself.
    /// </summary>
    private void ComputeScc()
    {
        int n = _insns.Length;
        _scc = new int[n];
        var index = new int[n];   // 0: not visited yet; else visit order + 1
        var low = new int[n];
        var onStack = new bool[n];
        var stack = new Stack<int>();
        var work = new Stack<(int Node, int Next)>();
        Span<int> succ = stackalloc int[2];
        int counter = 0, nextScc = 1;
        for (int root = 0; root < n; root++)
        {
            if (index[root] != 0) continue;
            work.Push((root, 0));
            index[root] = low[root] = ++counter;
            stack.Push(root);
            onStack[root] = true;
            while (work.Count > 0)
            {
                (int v, int next) = work.Pop();
                int cnt = Successors(v, succ);
                if (next < cnt)
                {
                    work.Push((v, next + 1));
                    int w = succ[next];
                    if (index[w] == 0)
                    {
                        index[w] = low[w] = ++counter;
                        stack.Push(w);
                        onStack[w] = true;
                        work.Push((w, 0));
                    }
                    else if (onStack[w])
                    {
                        low[v] = Math.Min(low[v], index[w]);
                    }
                    continue;
                }
                if (work.Count > 0)
                {
                    int parent = work.Peek().Node;
                    low[parent] = Math.Min(low[parent], low[v]);
                }
                if (low[v] != index[v])
                    continue;
                bool assign = stack.Peek() != v;
                for (int j = 0; j < cnt && !assign; j++)
                    assign = succ[j] == v;
                int id = assign ? nextScc++ : 0;
                int x;
                do
                {
                    x = stack.Pop();
                    onStack[x] = false;
                    _scc[x] = id;
                } while (x != v);
            }
        }
    }

    // kernel: bpf_insn_successors: calls return to the next instruction, exits end the function
    private int Successors(int i, Span<int> succ)
    {
        var insn = _insns[i];
        int cnt = 0;
        byte cls = (byte)(insn.Opcode & 0x07), op = (byte)(insn.Opcode & 0xf0);
        if (insn.IsLdImm64)
            succ[cnt++] = i + 2;
        else if (cls is not (BPF_JMP or BPF_JMP32) || op == BPF_CALL)
            succ[cnt++] = i + 1;
        else if (op == BPF_EXIT)
            return 0;
        else if (op == BPF_JA)
            succ[cnt++] = i + 1 + (cls == BPF_JMP ? insn.Offset : insn.Imm);
        else
        {
            succ[cnt++] = i + 1;
            succ[cnt++] = i + 1 + insn.Offset;
        }
        int kept = 0;
        for (int j = 0; j < cnt; j++)
            if ((uint)succ[j] < (uint)_insns.Length)
                succ[kept++] = succ[j];
        return kept;
    }

    // kernel: compute_scc_callchain: the callsites of the frames outside the loop, then the loop of the first frame in one
    private bool SccCallchain(VerifierState st, out string key)
    {
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i <= st.CurFrame; i++)
        {
            int insnIdx = i == st.CurFrame ? st.InsnIdx : st.Frame(i + 1).Callsite;
            int scc = (uint)insnIdx < (uint)_scc.Length ? _scc[insnIdx] : 0;
            if (scc != 0)
            {
                key = sb.Append(scc).ToString();
                return true;
            }
            if (i == st.CurFrame)
                break;
            sb.Append(insnIdx).Append(',');
        }
        key = "";
        return false;
    }

    // kernel: maybe_enter_scc: a checkpoint inside a loop that no visit of it is walking yet starts one
    private void MaybeEnterScc(VerifierState st)
    {
        if (!SccCallchain(st, out string key))
            return;
        _sccVisits ??= [];
        if (!_sccVisits.TryGetValue(key, out SccVisit? visit))
            _sccVisits[key] = visit = new SccVisit();
        if (visit.EntryState is null)
        {
            visit.EntryState = st;
            LogScc("enter", key);
        }
    }

    // kernel: format_callchain, "(callsite,...,scc)": the callsites end at the first 0 (a call at instruction 0 is not shown)
    private void LogScc(string what, string key)
    {
        if (!_log.Level2On)
            return;
        string[] parts = key.Split(',');
        var sb = new System.Text.StringBuilder("SCC ").Append(what).Append(" (");
        for (int i = 0; i < parts.Length - 1 && parts[i] != "0"; i++)
            sb.Append(parts[i]).Append(',');
        _log.Write(sb.Append(parts[^1]).Append(")\n").ToString());
    }

    // kernel: maybe_exit_scc: every path from the visit's entry is explored; its backedges are dropped
    private void MaybeExitScc(VerifierState st)
    {
        if (_sccVisits is null || !SccCallchain(st, out string key) || !_sccVisits.TryGetValue(key, out SccVisit? visit))
            return;
        if (!ReferenceEquals(visit.EntryState, st))
            return;
        LogScc("exit", key);
        visit.EntryState = null;
        _numBackedges -= visit.Backedges;
        visit.Backedges = 0;
        UpdatePeakStates();
        PropagateBackedges(visit);
    }

    // kernel: propagate_backedges: what the covering checkpoints needed (stack reads, precision) the paths that came
    // round to them needed too, again until a round changes nothing
    private void PropagateBackedges(SccVisit visit)
    {
        VerifierState cur = _cur;
        int insnIdx = _insnIdx;
        try
        {
            for (int iter = 0; ; iter++)
            {
                if (iter > MaxBackedgeIters)
                {
                    if (_log.Level2On)
                        _log.Write("propagate_backedges: too many iterations\n");
                    break;
                }
                _precisionChanged = false;
                for (int k = visit.States.Count - 1; k >= 0; k--)
                {
                    (VerifierState state, VerifierState equal) = visit.States[k];
                    PropagateLiveness(equal, state);
                    _cur = state;
                    _insnIdx = state.InsnIdx;
                    PropagatePrecision(equal);
                }
                if (!_precisionChanged)
                    break;
            }
        }
        finally
        {
            _cur = cur;
            _insnIdx = insnIdx;
            visit.States.Clear();
        }
    }

    // kernel: add_scc_backedge: a path came back round the loop of st to a state st covers; the path's state is kept
    private void AddSccBackedge(VerifierState st, VerifierState cur, int insnIdx)
    {
        if (_sccVisits is null || !SccCallchain(st, out string key) || !_sccVisits.TryGetValue(key, out SccVisit? visit))
            throw Fail(-BpfSharp.Uapi.Errno.EFAULT, Inv($"verifier bug: add backedge: no SCC in verification path, insn_idx {st.InsnIdx}"));
        LogScc("backedge", key);
        VerifierState copy = cur.Clone();
        copy.InsnIdx = insnIdx;
        visit.States.Add((copy, st));
        visit.Backedges++;
        _numBackedges++;
        UpdatePeakStates();
    }

    // kernel: incomplete_read_marks: st is in a loop whose walk has come back round and is not finished
    private bool IncompleteReadMarks(VerifierState st) =>
        _sccVisits is not null && SccCallchain(st, out string key) && _sccVisits.TryGetValue(key, out SccVisit? visit)
        && visit.Backedges > 0;
}
