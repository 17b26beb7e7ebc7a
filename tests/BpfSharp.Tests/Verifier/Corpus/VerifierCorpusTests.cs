namespace BpfSharp.Tests.Verifier.Corpus;

/// <summary>The corpus itself: unique names, every program assembles, enough cases, both verdicts in every group.</summary>
public class VerifierCorpusTests
{
    [Fact]
    public void Names_are_unique_and_grouped()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in VerifierCorpus.All)
        {
            Assert.True(seen.Add(c.Name), $"duplicate case name {c.Name}");
            Assert.Matches("^[a-z]+/[a-z0-9_]+$", c.Name);
        }
    }

    [Fact]
    public void Every_case_assembles()
    {
        foreach (var c in VerifierCorpus.All)
        {
            var exception = Record.Exception(() => c.Instructions());
            Assert.True(exception is null, $"{c.Name}: {exception?.Message}");
        }
    }

    [Fact]
    public void Every_map_index_names_a_map_of_the_case()
    {
        foreach (var c in VerifierCorpus.All)
        {
            var insns = c.Instructions();
            for (int i = 0; i < insns.Length; i++)
            {
                // BPF_PSEUDO_MAP_IDX (5) and BPF_PSEUDO_MAP_IDX_VALUE (6) in an lddw name fd_array[imm].
                if (insns[i].Opcode == 0x18 && insns[i].Src is 5 or 6)
                    Assert.True(insns[i].Imm >= 0 && insns[i].Imm < c.Maps.Length, $"{c.Name}: insn {i} names map {insns[i].Imm}");
            }
        }
    }

    [Fact]
    public void There_are_at_least_180_cases_and_all_are_recorded()
    {
        Assert.True(VerifierCorpus.All.Count >= 180, $"{VerifierCorpus.All.Count} cases");
        string[] pending = [.. VerifierCorpus.All.Where(c => c.Kernel.IsPending).Select(c => c.Name)];
        Assert.True(pending.Length == 0, "not recorded yet (run Record_the_kernel_verdicts): " + string.Join(", ", pending));
    }

    [Fact]
    public void Every_group_has_accepted_and_rejected_cases()
    {
        foreach (var group in VerifierCorpus.All.GroupBy(c => c.Group))
        {
            Assert.True(group.Any(c => c.Kernel.Accepted), $"group {group.Key} has no accepted case");
            Assert.True(group.Any(c => !c.Kernel.Accepted && !c.Kernel.IsPending), $"group {group.Key} has no rejected case");
        }
    }

    [Fact]
    public void Rejections_carry_a_positive_errno_and_acceptances_no_line()
    {
        foreach (var c in VerifierCorpus.All.Where(c => !c.Kernel.IsPending))
        {
            if (c.Kernel.Accepted) Assert.Equal("", c.Kernel.ErrorLine);
            else Assert.True(c.Kernel.Errno > 0, c.Name);
        }
    }
}
