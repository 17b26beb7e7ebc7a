using BpfSharp.Isa;
using BpfSharp.Runtime;
using BpfSharp.Syscall;
using BpfSharp.Tests.Syscall;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Kernel;

/// <summary>
/// The local dynptr helpers (bpf_dynptr_from_mem, bpf_dynptr_read, bpf_dynptr_write, bpf_dynptr_data) against the live
/// kernel's: each program runs once with BPF_PROG_TEST_RUN over a 64-byte array value filled with a known pattern, in the
/// kernel and in ours on every engine (JIT, interpreter, unverified checked mode); r0 and the whole value afterwards
/// (where the programs store the helpers' results and what they read) must be the kernel's.
/// </summary>
public unsafe class DynptrKernelDifferentialTests
{
    internal const int ValueSize = 64;

    /// <summary>r6 = the array's value 0 (exit 0 if NULL); a local dynptr over all 64 bytes at fp-24, its result in r7.</summary>
    private const string Prologue = Verifier.Corpus.VerifierCorpus.LocalDynptr + """
        r7 = r0

        """;

    /// <summary>bpf_dynptr_read(fp-40, 8, fp-24, OFF, FLAGS) over fp-40 prefilled with 0x5555...; rc at +48, fp-40 at +56.</summary>
    private static string Read(string off, string flags = "0", string len = "8") => $"""
        r1 = 0x5555555555555555 ll
        *(u64 *)(r10 -40) = r1
        r1 = r10
        r1 += -40
        r2 = {len}
        r3 = r10
        r3 += -24
        r4 = {off}
        r5 = {flags}
        call bpf_dynptr_read
        *(u64 *)(r6 +48) = r0
        r1 = *(u64 *)(r10 -40)
        *(u64 *)(r6 +56) = r1
        r0 = r7
        exit
        """;

    /// <summary>bpf_dynptr_write(fp-24, OFF, fp-40 = 0x1122334455667788, LEN, FLAGS); rc at +48.</summary>
    private static string Write(string off, string len = "8", string flags = "0") => $"""
        r1 = 0x1122334455667788 ll
        *(u64 *)(r10 -40) = r1
        r1 = r10
        r1 += -24
        r2 = {off}
        r3 = r10
        r3 += -40
        r4 = {len}
        r5 = {flags}
        call bpf_dynptr_write
        *(u64 *)(r6 +48) = r0
        exit
        """;

    public static readonly IReadOnlyDictionary<string, string> Programs = new Dictionary<string, string>
    {
        ["from_mem_result"] = Prologue + "*(u64 *)(r6 +48) = r7\nr0 = r7\nexit",
        ["read_at_8"] = Prologue + Read("8"),
        ["read_last_8"] = Prologue + Read("56"),
        ["read_past_end"] = Prologue + Read("57"),
        ["read_offset_huge"] = Prologue + Read("-1"),
        ["read_offset_u32_truncated"] = Prologue + "r4 = 1\nr4 <<= 32\nr4 += 8\n" + Read("r4"),
        ["read_flags"] = Prologue + Read("0", flags: "1"),
        ["read_len_zero_at_end"] = Prologue + Read("64", len: "0"),
        ["read_len_zero_past_end"] = Prologue + Read("65", len: "0"),
        ["read_from_null_dynptr"] = Prologue.Replace("r3 = 0\n", "r3 = 1\n", StringComparison.Ordinal) + "*(u64 *)(r6 +40) = r7\n" + Read("0"),
        ["read_from_empty_dynptr"] = Prologue.Replace("r2 = 64", "r2 = 0", StringComparison.Ordinal) + Read("0"),
        ["write_at_4"] = Prologue + Write("4"),
        ["write_last_8"] = Prologue + Write("56"),
        ["write_past_end"] = Prologue + Write("60"),
        ["write_flags"] = Prologue + Write("0", flags: "1"),
        ["write_flags_and_past_end"] = Prologue + Write("60", flags: "1"),
        ["write_len_zero"] = Prologue + Write("64", len: "0"),
        ["write_to_null_dynptr"] = Prologue.Replace("r3 = 0\n", "r3 = 7\n", StringComparison.Ordinal) + "*(u64 *)(r6 +40) = r7\n" + Write("0"),
        ["write_overlapping_memmove"] = Prologue + """
            r1 = r10
            r1 += -24
            r2 = 4
            r3 = r6
            r4 = 32
            r5 = 0
            call bpf_dynptr_write
            r0 = r7
            exit
            """,
        ["sub_dynptr_data_and_write"] = Prologue + """
            r1 = r6
            r1 += 16
            r2 = 32
            r3 = 0
            r4 = r10
            r4 += -24
            call bpf_dynptr_from_mem
            r1 = r10
            r1 += -24
            r2 = 8
            r3 = 8
            call bpf_dynptr_data
            if r0 == 0x0 goto out
            r1 = 0x0102030405060708 ll
            *(u64 *)(r0 +0) = r1
            r0 = 1
            out:
            exit
            """,
        ["data_in_range"] = Prologue + """
            r1 = r10
            r1 += -24
            r2 = 8
            r3 = 16
            call bpf_dynptr_data
            if r0 == 0x0 goto out
            r1 = -1
            *(u64 *)(r0 +8) = r1
            r0 = *(u32 *)(r0 +0)
            out:
            exit
            """,
        ["data_past_end"] = Prologue + """
            r1 = r10
            r1 += -24
            r2 = 60
            r3 = 8
            call bpf_dynptr_data
            if r0 == 0x0 goto out
            r0 = 1
            out:
            exit
            """,
        ["data_len_zero_at_end"] = Prologue + """
            r1 = r10
            r1 += -24
            r2 = 64
            r3 = 0
            call bpf_dynptr_data
            if r0 == 0x0 goto out
            r0 = 1
            out:
            exit
            """,
        ["data_of_null_dynptr"] = Prologue.Replace("r3 = 0\n", "r3 = 1\n", StringComparison.Ordinal) + """
            r1 = r10
            r1 += -24
            r2 = 0
            r3 = 8
            call bpf_dynptr_data
            if r0 == 0x0 goto out
            r0 = 1
            out:
            exit
            """,
    };

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (string name in Programs.Keys) data.Add(name);
        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Names))]
    public void Results_and_memory_are_the_kernels(string name)
    {
        Skip.IfNot(KernelBpf.IsAvailable, "needs bpf() as root");
        Instruction[] program = Assembler.Assemble(Programs[name]);
        using var kernel = new KernelTarget();
        (uint r0, byte[] value) expected = RunOnce(kernel, program);
        foreach ((string engine, BpfSystemOptions options) in OurOptions())
        {
            using var ours = new OurTarget(options);
            (uint r0, byte[] value) actual = RunOnce(ours, program);
            Assert.True(expected.r0 == actual.r0, $"{engine}: r0 0x{actual.r0:x}, the kernel's 0x{expected.r0:x}");
            Assert.True(expected.value.AsSpan().SequenceEqual(actual.value),
                $"{engine}: value {Convert.ToHexString(actual.value)}, the kernel's {Convert.ToHexString(expected.value)}");
        }
    }

    /// <summary>Our system on each engine: the JIT, the interpreter (both verified), and unverified checked mode.</summary>
    internal static IEnumerable<(string, BpfSystemOptions)> OurOptions()
    {
        yield return ("jit", new BpfSystemOptions { PossibleCpus = 2, ParseBtf = FakeBtf.Parse, Engine = ExecutionEngine.Jit });
        yield return ("interpreter", new BpfSystemOptions { PossibleCpus = 2, ParseBtf = FakeBtf.Parse, Engine = ExecutionEngine.Interpreter });
        yield return ("checked", new BpfSystemOptions { PossibleCpus = 2, ParseBtf = FakeBtf.Parse, Verify = false });
    }

    /// <summary>The pattern value 0 holds before the run: byte i is 3i+1.</summary>
    internal static byte[] Pattern()
    {
        byte[] value = new byte[ValueSize];
        for (int i = 0; i < value.Length; i++) value[i] = (byte)(3 * i + 1);
        return value;
    }

    private static (uint, byte[]) RunOnce(IBpfTarget t, Instruction[] program)
    {
        int map = t.CreateMap(BpfMapType.Array, 4, ValueSize, 1);
        Assert.True(map > 0, $"{t.Name}: map create {map}");
        byte[] value = Pattern();
        Assert.Equal(0, Element(t, BpfCommand.MapUpdateElem, map, value));
        int prog = t.Load(program, out string log, fdArray: [map], logSize: 1 << 16);
        Assert.True(prog > 0, $"{t.Name}: load {prog}\n{log}");
        Assert.Equal(0, t.TestRun(prog, new byte[64], out TestRunAttr result));
        Assert.Equal(0, Element(t, BpfCommand.MapLookupElem, map, value));
        return (result.Retval, value);
    }

    internal static int Element(IBpfTarget t, BpfCommand cmd, int fd, byte[] value)
    {
        uint key = 0;
        fixed (byte* v = value)
        {
            BpfAttr attr = default;
            attr.MapElem.MapFd = (uint)fd;
            attr.MapElem.Key = (ulong)&key;
            attr.MapElem.Value = (ulong)v;
            return t.Bpf(cmd, ref attr);
        }
    }
}
