using System.Globalization;
using System.Text;
using BpfSharp.Isa;
using BpfSharp.ProgramTypes;
using BpfSharp.Tests.Kernel;
using BpfSharp.Uapi;
using BpfSharp.Verifier;
using Xunit.Abstractions;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.ProgramTypes;

/// <summary>
/// The prototypes <see cref="VerifierOps.GetFuncProto(int, VerifierCapabilities, uint)"/> gives each program type, against the live kernel. For
/// every helper the type may call, a program passes each argument as our prototype says: the context for
/// ARG_PTR_TO_CTX, a map of a suitable type for ARG_CONST_MAP_PTR, 64 zeroed stack bytes for memory, 8 for
/// ARG_CONST_SIZE, 0 for ARG_ANYTHING, ARG_CONST_SIZE_OR_ZERO and nullable pointers, and 0 (a scalar) for a kind
/// a test cannot build (a socket, a BTF object, a callback, a dynptr, ...). The kernel must then object to
/// exactly the first argument we could not build, with the compatible types of our kind (<c>R2 type=scalar
/// expected=ctx</c>), or to none. More loads per helper check gpl_only (a proprietary license), MEM_WRITE (memory
/// arguments in a read-only map value), ARG_CONST_SIZE against ARG_CONST_SIZE_OR_ZERO (every size 0) and
/// might_sleep; where the call verifies, R0's type must be a scalar exactly when our return type is RET_INTEGER.
/// Not checked: the size of MEM_FIXED_SIZE memory, MEM_UNINIT (root may pass uninitialized stack anyway),
/// pkt_access, and the arguments after the first one a test cannot build.
/// </summary>
public partial class HelperPrototypeKernelTests(ITestOutputHelper output) : IDisposable
{
    private const string NoKernel = KernelDifferentialTests.NoKernel;
    private const uint BPF_F_RDONLY_PROG = 1u << 7;

    private readonly Dictionary<(uint, uint, uint, uint, uint), int> _maps = [];
    private readonly byte[] _logBuffer = new byte[1 << 16];
    private int _exitValue; // what the programs return: in the type's return range (recvmsg hooks must return 1)

    public static TheoryData<string> Variants() => ProgramVariants.Names();

    public void Dispose()
    {
        foreach (int fd in _maps.Values)
            if (fd >= 0) KernelBpf.Close(fd);
        GC.SuppressFinalize(this);
    }

    [SkippableTheory]
    [MemberData(nameof(Variants))]
    public void Every_prototype_matches_the_kernel(string variant)
    {
        Skip.IfNot(KernelBpf.IsAvailable, NoKernel);
        ProgramVariant type = ProgramVariants.ByName[variant];
        VerifierOps ops = ProgramTypeOps.For(type.Type)!;
        _exitValue = ops.ReturnRange((uint)type.ExpectedAttachType)?.MinVal ?? 0;
        var mismatches = new StringBuilder();
        int helpers = 0;
        for (int id = 1; id <= HelperAvailability.MaxHelperId; id++)
        {
            HelperPrototype? proto = ops.GetFuncProto(id, VerifierCapabilities.Privileged, (uint)type.ExpectedAttachType);
            if (!HelperAvailability.IsAllowed(type.Type, (uint)type.ExpectedAttachType, id))
            {
                if (proto is not null) mismatches.Append(CultureInfo.InvariantCulture, $"{HelperNames.Get(id)}#{id}: not allowed, yet a prototype\n");
                continue;
            }
            if (proto is null)
            {
                mismatches.Append(CultureInfo.InvariantCulture, $"{HelperNames.Get(id)}#{id}: allowed, but no prototype\n");
                continue;
            }
            helpers++;
            CheckGplOnly(type, proto, mismatches);
            if (proto.MightSleep && !IsSleepable(type))
            {
                CheckMightSleep(type, proto, mismatches);
                continue;
            }
            if (proto.NotAllowed)
            {
                CheckNotAllowed(type, proto, mismatches);
                continue;
            }
            if (!CheckArguments(type, proto, mismatches))
                continue;
            CheckMemWrite(type, proto, mismatches);
            CheckZeroSize(type, proto, mismatches);
        }
        output.WriteLine($"{type}: {helpers} helpers");
        Assert.True(mismatches.Length == 0, $"{type}:\n{mismatches}");
    }

    private static bool IsSleepable(ProgramVariant v) => (v.ProgFlags & (1u << 4)) != 0; // BPF_F_SLEEPABLE

    private int Load(ProgramVariant v, Instruction[] insns, uint logLevel, out string log, string license = "GPL") =>
        KernelBpf.ProgLoadLogged((uint)v.Type, insns, (uint)v.ExpectedAttachType, logLevel, _logBuffer, out log, license, v.ProgFlags);

    private void CheckGplOnly(ProgramVariant type, HelperPrototype proto, StringBuilder mismatches)
    {
        Instruction[] insns =
        [
            Asm.Mov64Imm(R1, 0), Asm.Mov64Imm(R2, 0), Asm.Mov64Imm(R3, 0), Asm.Mov64Imm(R4, 0), Asm.Mov64Imm(R5, 0),
            Asm.Call(proto.Id), Asm.Mov64Imm(R0, 0), Asm.Exit(),
        ];
        Load(type, insns, 1, out string log, license: "Proprietary");
        bool kernel = log.Contains("cannot call GPL-restricted function", StringComparison.Ordinal);
        if (kernel != proto.GplOnly)
            mismatches.Append(CultureInfo.InvariantCulture, $"{proto}: gpl_only is {kernel} in the kernel, {proto.GplOnly} here\n");
    }

    /// <summary>A sleepable helper is refused in these (non-sleepable) types before its arguments are looked at.</summary>
    private void CheckMightSleep(ProgramVariant type, HelperPrototype proto, StringBuilder mismatches)
    {
        var (insns, _) = BuildCall(proto, readOnlyMemory: false);
        Load(type, insns, 1, out string log);
        if (!log.Contains("helper call might sleep in a non-sleepable prog", StringComparison.Ordinal))
            mismatches.Append(CultureInfo.InvariantCulture, $"{proto}: might_sleep here, not in the kernel\n");
    }

    /// <summary>A helper whose allowed callback refuses the program is refused so, whatever its arguments.</summary>
    private void CheckNotAllowed(ProgramVariant type, HelperPrototype proto, StringBuilder mismatches)
    {
        var (insns, _) = BuildCall(proto, readOnlyMemory: false);
        Load(type, insns, 1, out string log);
        if (!log.Contains("helper call is not allowed in probe", StringComparison.Ordinal))
            mismatches.Append(CultureInfo.InvariantCulture, $"{proto}: not allowed here, the kernel says {log.Trim()}\n");
    }

    /// <summary>False when the call cannot be tried: a sleepable program may not use the map the helper needs.</summary>
    private bool CheckArguments(ProgramVariant type, HelperPrototype proto, StringBuilder mismatches)
    {
        var (insns, expectedReg) = BuildCall(proto, readOnlyMemory: false);
        int fd = Load(type, insns, 2, out string log);
        if (log.Contains("Sleepable programs can only use", StringComparison.Ordinal))
            return false;
        var (kernelReg, kernelExpected, other) = FirstComplaint(log);
        if (kernelReg != expectedReg)
        {
            string ours = expectedReg == 0 ? "no argument" : $"R{expectedReg} ({Compatible(proto.Arg(expectedReg - 1).Base)})";
            string theirs = kernelReg == 0 ? $"no argument ({other})" : $"R{kernelReg} (expected={kernelExpected})";
            mismatches.Append(CultureInfo.InvariantCulture, $"{proto}: the kernel objects to {theirs}, we expect {ours}\n");
            return true;
        }
        if (expectedReg != 0)
        {
            string ours = Compatible(proto.Arg(expectedReg - 1).Base);
            if (kernelExpected != ours)
                mismatches.Append(CultureInfo.InvariantCulture, $"{proto}: R{expectedReg} expected={kernelExpected} in the kernel, {ours} here\n");
            return true;
        }
        // Every argument passed: what remains is might_sleep, references left held, and R0's type.
        bool sleeps = other.Contains("might sleep", StringComparison.Ordinal);
        if (sleeps != (proto.MightSleep && !IsSleepable(type)))
            mismatches.Append(CultureInfo.InvariantCulture, $"{proto}: might_sleep is {sleeps} in the kernel, {proto.MightSleep} here\n");
        // Accepted arguments may still end the load: a reference the program keeps, or bpf_get_func_ip outside
        // kprobes (the verifier's check_get_func_ip, after get_func_proto said yes).
        if (fd < 0 && !sleeps && !other.StartsWith("Unreleased reference", StringComparison.Ordinal)
            && !(proto.Name == "bpf_get_func_ip" && other.Contains("not supported for program type", StringComparison.Ordinal)))
            mismatches.Append(CultureInfo.InvariantCulture, $"{proto}: refused after its arguments: {other}\n");
        string? r0 = ReturnedType(log);
        if (r0 is not null && (r0 == "scalar") != (proto.Return == HelperReturnType.RET_INTEGER))
            mismatches.Append(CultureInfo.InvariantCulture, $"{proto}: returns {r0} in the kernel, {proto.Return} here\n");
        return true;
    }

    /// <summary>With every memory argument in a read-only map value, the kernel refuses exactly the prototypes that write one (MEM_WRITE).</summary>
    private void CheckMemWrite(ProgramVariant type, HelperPrototype proto, StringBuilder mismatches)
    {
        var (insns, expectedReg) = BuildCall(proto, readOnlyMemory: true);
        bool writes = false;
        for (int i = 0; i < (expectedReg == 0 ? 5 : expectedReg - 1); i++)
            writes |= IsMemory(proto.Arg(i)) && proto.Arg(i).Has(BpfTypeFlag.MEM_WRITE);
        if (!writes && !Enumerable.Range(0, 5).Any(i => IsMemory(proto.Arg(i)))) return;
        Load(type, insns, 1, out string log);
        bool kernel = log.Contains("write into map forbidden", StringComparison.Ordinal);
        if (kernel != writes)
            mismatches.Append(CultureInfo.InvariantCulture, $"{proto}: {(kernel ? "writes" : "does not write")} its memory in the kernel, {(writes ? "writes" : "does not")} here\n");
    }

    /// <summary>With every size argument 0, the kernel objects to exactly the first ARG_CONST_SIZE (zero not allowed).</summary>
    private void CheckZeroSize(ProgramVariant type, HelperPrototype proto, StringBuilder mismatches)
    {
        var (_, firstUnbuilt) = BuildCall(proto, readOnlyMemory: false);
        int end = firstUnbuilt == 0 ? 5 : firstUnbuilt - 1, expected = 0;
        bool anySize = false;
        for (int i = 0; i < end; i++)
        {
            anySize |= proto.Arg(i).Base is BpfArgBase.ConstSize or BpfArgBase.ConstSizeOrZero;
            if (expected == 0 && proto.Arg(i).Base is BpfArgBase.ConstSize) expected = i + 1;
        }
        if (!anySize) return;
        var (insns, _) = BuildCall(proto, readOnlyMemory: false, zeroSizes: true);
        Load(type, insns, 1, out string log);
        var (kernelReg, _, other) = FirstComplaint(log);
        int kernel = other.Contains("invalid zero-sized read", StringComparison.Ordinal) ? kernelReg : 0;
        if (kernel != expected)
            mismatches.Append(CultureInfo.InvariantCulture, $"{proto}: a zero size is refused at {(kernel == 0 ? "no argument" : $"R{kernel}")} in the kernel, at {(expected == 0 ? "none" : $"R{expected}")} here\n");
    }
}
