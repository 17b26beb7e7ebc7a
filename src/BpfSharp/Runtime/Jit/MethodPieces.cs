namespace BpfSharp.Runtime.Jit;

/// <summary>
/// Where a subprogram too large for one method is cut (see <see cref="MethodPiece"/>): pieces as large as
/// <see cref="IlCost.Budget"/> allows, each cut placed, within the second half of what would fit, where the fewest
/// loops (backward jumps) cross it, so that a loop rarely has to go through the register file on each iteration.
/// </summary>
internal static class MethodPieces
{
    /// <summary>The pieces of a subprogram, or null if it fits in one method.</summary>
    /// <param name="code">The pre-decoded program.</param>
    /// <param name="entry">The subprogram's first slot.</param>
    /// <param name="reachable">The subprogram's reachable slots.</param>
    /// <param name="costs">The IL written after each reachable slot when the subprogram was emitted as one method.</param>
    /// <param name="maxInstructions">Reachable instructions per piece at most (0: limited by the IL cost alone).</param>
    public static MethodPiece[]? Plan(DecodedInsn[] code, int entry, bool[] reachable, IlCost[] costs, int maxInstructions)
    {
        var slots = new List<int>();
        for (int pc = 0; pc < reachable.Length; pc++)
        {
            if (reachable[pc]) slots.Add(pc);
        }
        int n = slots.Count;
        if (n == 0) return null;
        if (maxInstructions > 0 ? n <= maxInstructions : costs[slots[^1]].Within(IlCost.Budget)) return null;

        int[] cover = LoopCover(code, slots);
        var starts = new List<int> { 0 };
        int a = 0;
        while (true)
        {
            IlCost before = a == 0 ? default : costs[slots[a - 1]];
            int b = a + 1;
            while (b < n && (maxInstructions == 0 || b + 1 - a <= maxInstructions) && (costs[slots[b]] - before).Within(IlCost.Budget))
                b++;
            if (b >= n) break;
            int cut = b;
            for (int c = b - 1; c > a + (b - a) / 2; c--)
            {
                if (cover[slots[c]] < cover[slots[cut]]) cut = c;
            }
            starts.Add(cut);
            a = cut;
        }

        var pieceOf = new int[code.Length];
        var bounds = new int[starts.Count + 1];
        for (int k = 0; k < starts.Count; k++) bounds[k] = k == 0 ? 0 : slots[starts[k]];
        bounds[^1] = code.Length;
        for (int k = 0; k < starts.Count; k++)
            Array.Fill(pieceOf, k, bounds[k], bounds[k + 1] - bounds[k]);

        var entries = new SortedSet<int>[starts.Count];
        for (int k = 0; k < entries.Length; k++) entries[k] = [];
        entries[pieceOf[entry]].Add(entry);
        foreach (int pc in slots)
        {
            (int next, int target) = MethodCompiler.Successors(code, pc);
            AddEntry(entries, pieceOf, reachable, pc, next);
            AddEntry(entries, pieceOf, reachable, pc, target);
        }
        var pieces = new MethodPiece[starts.Count];
        for (int k = 0; k < pieces.Length; k++)
        {
            if (entries[k].Count == 0) entries[k].Add(slots[starts[k]]);
            pieces[k] = new MethodPiece(bounds[k], bounds[k + 1], [.. entries[k]]);
        }
        return pieces;
    }

    private static void AddEntry(SortedSet<int>[] entries, int[] pieceOf, bool[] reachable, int from, int to)
    {
        if ((uint)to < (uint)reachable.Length && reachable[to] && pieceOf[to] != pieceOf[from])
            entries[pieceOf[to]].Add(to);
    }

    // cover[p]: how many backward jumps (loops) a cut just before slot p would split (target < p <= source).
    private static int[] LoopCover(DecodedInsn[] code, List<int> slots)
    {
        var cover = new int[code.Length + 1];
        foreach (int pc in slots)
        {
            (_, int target) = MethodCompiler.Successors(code, pc);
            if (target < 0 || target > pc) continue;
            cover[target + 1]++;
            cover[pc + 1]--;
        }
        for (int p = 1; p < cover.Length; p++) cover[p] += cover[p - 1];
        return cover;
    }
}
