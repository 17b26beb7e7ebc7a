using BpfSharp.Tests.Verifier.Corpus;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// The "Direct packet access" examples of the kernel's Documentation/bpf/verifier.rst (corpus cases doc/packet_*):
/// the register states the document shows after each step are in our log_level 2 log, in today's notation, on the
/// line of the instruction that produced them. The document's
/// <c>R3=pkt(id=0,off=0,r=14)</c> is <c>R3=pkt(r=14)</c> today (zero fields are left out), its
/// <c>R4=inv(id=0,umax_value=3570,var_off=(0x0; 0xfffe))</c> is a <c>scalar(...)</c> with all eight bounds, and
/// today's tnum multiplication knows one more bit (<c>0xffe</c>). <see cref="The_kernel_prints_the_same_states"/>
/// checks every expected fragment against the running kernel's log of the same program.
/// </summary>
public class DocPacketAccessTests
{
    /// <summary>Case, instruction index, the state fragments on that instruction's line.</summary>
    public static TheoryData<string, int, string[]> States() => new()
    {
        // "5: if r5 > r4 goto pc+16 / R3=pkt(id=0,off=0,r=14) R4=pkt_end R5=pkt(id=0,off=14,r=14)": R5 gets the
        // range on the comparison, R3 (the same packet pointer without the constant) when it is next used.
        { "doc/packet_checked_header", 3, ["R5=pkt(off=14,r=0)"] },
        { "doc/packet_checked_header", 4, ["R4=pkt_end()", "R5=pkt(off=14,r=14)"] },
        { "doc/packet_checked_header", 5, ["R3=pkt(r=14)"] },
        // "r4 = *(u8 *)(r3 +12)": R4=inv(id=0,umax_value=255,var_off=(0x0; 0xff))
        { "doc/packet_complex_len_scalar", 6, ["R4=scalar(smin=smin32=0,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff))"] },
        // "r4 *= 14": R4=inv(id=0,umax_value=3570,var_off=(0x0; 0xfffe)); the low bit is known zero (14 is even)
        { "doc/packet_complex_len_scalar", 7, ["R4=scalar(smin=smin32=0,smax=umax=smax32=umax32=3570,var_off=(0x0; 0xffe))"] },
        // "r2 >>= 48": R2=inv(id=0,umax_value=65535,var_off=(0x0; 0xffff))
        { "doc/packet_complex_len_scalar", 12, ["R2=scalar(smin=smin32=0,smax=umax=smax32=umax32=0xffff,var_off=(0x0; 0xffff))"] },
        // "r3 += rX" where rX may exceed 16 bits: the comparison gives no range (r=0)
        { "doc/packet_complex_len_scalar", 17, ["R1=pkt_end()", "R2=pkt(id=2,off=8,r=0,"] },
        // "18: if r2 > r1 goto pc+2 / R2=pkt(id=2,off=8,r=8) R3=pkt(id=2,off=0,r=8)": two variables were added (id=2)
        { "doc/packet_complex_12_bit_scalar", 9, ["R3=pkt(id=1,r=0,"] },
        { "doc/packet_complex_12_bit_scalar", 13, ["R3=pkt(id=2,r=0,"] },
        { "doc/packet_complex_12_bit_scalar", 15, ["R2=pkt(id=2,off=8,r=0,"] },
        { "doc/packet_complex_12_bit_scalar", 17, ["R1=pkt_end()", "R2=pkt(id=2,off=8,r=8,"] },
        { "doc/packet_complex_12_bit_scalar", 18, ["R3=pkt(id=2,r=8,"] },
    };

    [Theory]
    [MemberData(nameof(States))]
    public void Our_log_shows_the_documented_state(string name, int insn, string[] fragments)
    {
        VerifierCase c = VerifierCorpus.ByName[name];
        (_, string log) = VerifierCorpusOurs.Load(c, logLevel: 2);
        AssertStates(log, name, insn, fragments, "our");
    }

    [SkippableFact]
    public void The_kernel_prints_the_same_states()
    {
        Skip.IfNot(Kernel.KernelBpf.IsAvailable, Kernel.KernelDifferentialTests.NoKernel);
        var logs = new Dictionary<string, string>();
        foreach (var row in States())
        {
            string name = (string)row[0];
            if (!logs.TryGetValue(name, out string? log))
            {
                VerifierCorpusKernel.Load(VerifierCorpus.ByName[name], 2, out log);
                logs[name] = log;
            }
            AssertStates(log, name, (int)row[1], (string[])row[2], "the kernel's");
        }
    }

    // The state on instruction insn's line ("N: (op) text ; state", or "N+1: state" after lines the kernel wrote in
    // between), as KernelVerifierLog.ComparableLines puts it, on the first path that reaches it.
    private static void AssertStates(string log, string name, int insn, string[] fragments, string whose)
    {
        string prefix = $"{insn}: (";
        string? line = KernelVerifierLog.ComparableLines(log, dropPrecision: true).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        Assert.True(line is not null, $"{name}: no line for insn {insn} in {whose} log\n{log}");
        int semicolon = line!.IndexOf(" ; ", StringComparison.Ordinal);
        string state = semicolon < 0 ? "" : line[(semicolon + 3)..];
        foreach (string fragment in fragments)
            Assert.True(state.Contains(fragment, StringComparison.Ordinal), $"{name} insn {insn}: '{fragment}' not in {whose} state '{state}'");
    }
}
