using BpfSharp.Uapi;

namespace BpfSharp.Tests.Verifier.Corpus;

/// <summary>
/// The verifier corpus: small hand-written programs, each isolating one rule of the kernel's verifier, with
/// the verdict and final log line the live kernel gave (recorded by
/// <see cref="VerifierCorpusKernelTests.Record_the_kernel_verdicts"/>, never typed by hand). Cases are grouped
/// by rule, one partial file per group; a case's name starts with its group (<c>stack/read_uninit_root</c>).
/// </summary>
/// <remarks>
/// Our verifier is measured against it: load <see cref="VerifierCase.Instructions"/> with maps made from
/// <see cref="VerifierCase.Maps"/> (in order, as fd_array for <c>map[idx:N]</c>), the program type, expected
/// attach type, prog_flags and the capabilities of <see cref="VerifierCase.Caps"/>, and compare with
/// <see cref="VerifierCase.Kernel"/>.
/// <para>Maps are created with full capabilities; only the program load runs with the case's. Cases with
/// <see cref="CaseCaps.Unprivileged"/> need kernel.unprivileged_bpf_disabled = 0, which the machines here do
/// not have (it is 2): their verdicts were recorded with the sysctl set to 0 for the recording run only,
/// then put back to 2, and their live test skips unless the sysctl is 0.</para>
/// </remarks>
internal static partial class VerifierCorpus
{
    private static readonly Lazy<IReadOnlyList<VerifierCase>> s_all = new(Build);
    private static readonly Lazy<IReadOnlyDictionary<string, VerifierCase>> s_byName = new(() =>
    {
        var byName = new Dictionary<string, VerifierCase>(StringComparer.Ordinal);
        foreach (var c in All) byName.Add(c.Name, c);
        return byName;
    });

    /// <summary>Every case, group by group.</summary>
    public static IReadOnlyList<VerifierCase> All => s_all.Value;

    /// <summary>Every case by name.</summary>
    public static IReadOnlyDictionary<string, VerifierCase> ByName => s_byName.Value;

    /// <summary>The case names, for [MemberData].</summary>
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in All) data.Add(c.Name);
        return data;
    }

    private static List<VerifierCase> Build() =>
    [
        .. Cfg(), .. Registers(), .. Alu(), .. PointerArith(), .. Stack(), .. MapValue(), .. Ctx(), .. Helpers(),
        .. NullCheck(), .. Jumps(), .. Exit(), .. Unpriv(), .. Align(), .. Doc(), .. Seed(), .. Atomic(), .. Calls(), .. Precision(), .. ProgTypes(),
        .. Bounds(), .. Subreg(), .. Packet(), .. TailCalls(), .. TracingPrograms(), .. MayGoto(), .. Dynptr(), .. UserRingbuf(), .. SockRefs(),
    ];

    // Maps the cases create (properties, so that they exist whatever order the partial files initialize in).

    /// <summary>No map.</summary>
    private static CaseMap[] NoMaps => [];

    /// <summary>A hash map with 8-byte keys and 16-byte values.</summary>
    private static CaseMap[] HashMap => [new(BpfMapType.Hash, 8, 16, 16)];

    /// <summary>An array of 4 16-byte values.</summary>
    private static CaseMap[] ArrayMap => [new(BpfMapType.Array, 4, 16, 4)];

    /// <summary>An array of one 16-byte value, the shape of global data (direct value loads need one entry).</summary>
    private static CaseMap[] GlobalDataMap => [new(BpfMapType.Array, 4, 16, 1)];

    /// <summary>An array of 4 16-byte values that programs may only read (BPF_F_RDONLY_PROG).</summary>
    private static CaseMap[] ReadOnlyArrayMap => [new(BpfMapType.Array, 4, 16, 4, MapFlags.BPF_F_RDONLY_PROG)];

    /// <summary>An array of one 16-byte value that programs may only read (BPF_F_RDONLY_PROG), like .rodata.</summary>
    private static CaseMap[] ReadOnlyGlobalDataMap => [new(BpfMapType.Array, 4, 16, 1, MapFlags.BPF_F_RDONLY_PROG)];

    /// <summary>An array of 4 16-byte values that programs may only write (BPF_F_WRONLY_PROG).</summary>
    private static CaseMap[] WriteOnlyArrayMap => [new(BpfMapType.Array, 4, 16, 4, MapFlags.BPF_F_WRONLY_PROG)];

    /// <summary>A program array of 4 slots, for bpf_tail_call.</summary>
    private static CaseMap[] ProgArrayMap => [new(BpfMapType.ProgArray, 4, 4, 4)];

    /// <summary>A 4 KiB ring buffer.</summary>
    private static CaseMap[] RingBufMap => [new(BpfMapType.Ringbuf, 0, 0, 4096)];

    /// <summary>A perf event array of 4 slots.</summary>
    private static CaseMap[] PerfEventArrayMap => [new(BpfMapType.PerfEventArray, 4, 4, 4)];

    // Snippets the cases share.

    /// <summary>Key 0 (8 bytes) at fp-8, then r0 = bpf_map_lookup_elem(map 0, fp-8): a map value or NULL.</summary>
    private const string Lookup = """
        *(u64 *)(r10 -8) = 0
        r2 = r10
        r2 += -8
        r1 = map[idx:0]
        call bpf_map_lookup_elem
        """;

    /// <summary>Key 0 (4 bytes) at fp-4, then r0 = bpf_map_lookup_elem(map 0, fp-4), for array maps.</summary>
    private const string ArrayLookup = """
        *(u32 *)(r10 -4) = 0
        r2 = r10
        r2 += -4
        r1 = map[idx:0]
        call bpf_map_lookup_elem
        """;
}
