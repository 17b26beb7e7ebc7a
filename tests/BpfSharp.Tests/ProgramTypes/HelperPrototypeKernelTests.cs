using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using BpfSharp.Isa;
using BpfSharp.ProgramTypes;
using BpfSharp.Tests.Kernel;
using BpfSharp.Uapi;
using BpfSharp.Verifier;
using Xunit.Abstractions;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.ProgramTypes;

/// <summary>
/// The prototypes <see cref="VerifierOps.GetFuncProto"/> gives each program type, against the live kernel. For
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

    public static TheoryData<BpfProgType> Types() => HelperAvailabilityKernelTests.Types();

    public void Dispose()
    {
        foreach (int fd in _maps.Values)
            if (fd >= 0) KernelBpf.Close(fd);
        GC.SuppressFinalize(this);
    }

    [SkippableTheory]
    [MemberData(nameof(Types))]
    public void Every_prototype_matches_the_kernel(BpfProgType type)
    {
        Skip.IfNot(KernelBpf.IsAvailable, NoKernel);
        VerifierOps ops = ProgramTypeOps.For(type)!;
        var mismatches = new StringBuilder();
        int helpers = 0;
        for (int id = 1; id <= HelperAvailability.MaxHelperId; id++)
        {
            HelperPrototype? proto = ops.GetFuncProto(id, VerifierCapabilities.Privileged);
            if (!HelperAvailability.IsAllowed(type, id))
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
            if (proto.MightSleep)
            {
                CheckMightSleep(type, proto, mismatches);
                continue;
            }
            CheckArguments(type, proto, mismatches);
            CheckMemWrite(type, proto, mismatches);
            CheckZeroSize(type, proto, mismatches);
        }
        output.WriteLine($"{type}: {helpers} helpers");
        Assert.True(mismatches.Length == 0, $"{type}:\n{mismatches}");
    }

    private void CheckGplOnly(BpfProgType type, HelperPrototype proto, StringBuilder mismatches)
    {
        Instruction[] insns =
        [
            Asm.Mov64Imm(R1, 0), Asm.Mov64Imm(R2, 0), Asm.Mov64Imm(R3, 0), Asm.Mov64Imm(R4, 0), Asm.Mov64Imm(R5, 0),
            Asm.Call(proto.Id), Asm.Mov64Imm(R0, 0), Asm.Exit(),
        ];
        KernelBpf.ProgLoadLogged((uint)type, insns, 0, 1, _logBuffer, out string log, license: "Proprietary");
        bool kernel = log.Contains("cannot call GPL-restricted function", StringComparison.Ordinal);
        if (kernel != proto.GplOnly)
            mismatches.Append(CultureInfo.InvariantCulture, $"{proto}: gpl_only is {kernel} in the kernel, {proto.GplOnly} here\n");
    }

    /// <summary>A sleepable helper is refused in these (non-sleepable) types before its arguments are looked at.</summary>
    private void CheckMightSleep(BpfProgType type, HelperPrototype proto, StringBuilder mismatches)
    {
        var (insns, _) = BuildCall(proto, readOnlyMemory: false);
        KernelBpf.ProgLoadLogged((uint)type, insns, 0, 1, _logBuffer, out string log);
        if (!log.Contains("helper call might sleep in a non-sleepable prog", StringComparison.Ordinal))
            mismatches.Append(CultureInfo.InvariantCulture, $"{proto}: might_sleep here, not in the kernel\n");
    }

    private void CheckArguments(BpfProgType type, HelperPrototype proto, StringBuilder mismatches)
    {
        var (insns, expectedReg) = BuildCall(proto, readOnlyMemory: false);
        int fd = KernelBpf.ProgLoadLogged((uint)type, insns, 0, 2, _logBuffer, out string log);
        var (kernelReg, kernelExpected, other) = FirstComplaint(log);
        if (kernelReg != expectedReg)
        {
            string ours = expectedReg == 0 ? "no argument" : $"R{expectedReg} ({Compatible(proto.Arg(expectedReg - 1).Base)})";
            string theirs = kernelReg == 0 ? $"no argument ({other})" : $"R{kernelReg} (expected={kernelExpected})";
            mismatches.Append(CultureInfo.InvariantCulture, $"{proto}: the kernel objects to {theirs}, we expect {ours}\n");
            return;
        }
        if (expectedReg != 0)
        {
            string ours = Compatible(proto.Arg(expectedReg - 1).Base);
            if (kernelExpected != ours)
                mismatches.Append(CultureInfo.InvariantCulture, $"{proto}: R{expectedReg} expected={kernelExpected} in the kernel, {ours} here\n");
            return;
        }
        // Every argument passed: what remains is might_sleep, references left held, and R0's type.
        bool sleeps = other.Contains("might sleep", StringComparison.Ordinal);
        if (sleeps != proto.MightSleep)
            mismatches.Append(CultureInfo.InvariantCulture, $"{proto}: might_sleep is {sleeps} in the kernel, {proto.MightSleep} here\n");
        // Accepted arguments may still end the load: a reference the program keeps, or bpf_get_func_ip outside
        // kprobes (the verifier's check_get_func_ip, after get_func_proto said yes).
        if (fd < 0 && !sleeps && !other.StartsWith("Unreleased reference", StringComparison.Ordinal)
            && !(proto.Name == "bpf_get_func_ip" && other.Contains("not supported for program type", StringComparison.Ordinal)))
            mismatches.Append(CultureInfo.InvariantCulture, $"{proto}: refused after its arguments: {other}\n");
        string? r0 = ReturnedType(log);
        if (r0 is not null && (r0 == "scalar") != (proto.Return == HelperReturnType.RET_INTEGER))
            mismatches.Append(CultureInfo.InvariantCulture, $"{proto}: returns {r0} in the kernel, {proto.Return} here\n");
    }

    /// <summary>With every memory argument in a read-only map value, the kernel refuses exactly the prototypes that write one (MEM_WRITE).</summary>
    private void CheckMemWrite(BpfProgType type, HelperPrototype proto, StringBuilder mismatches)
    {
        var (insns, expectedReg) = BuildCall(proto, readOnlyMemory: true);
        bool writes = false;
        for (int i = 0; i < (expectedReg == 0 ? 5 : expectedReg - 1); i++)
            writes |= IsMemory(proto.Arg(i)) && proto.Arg(i).Has(BpfTypeFlag.MEM_WRITE);
        if (!writes && !Enumerable.Range(0, 5).Any(i => IsMemory(proto.Arg(i)))) return;
        KernelBpf.ProgLoadLogged((uint)type, insns, 0, 1, _logBuffer, out string log);
        bool kernel = log.Contains("write into map forbidden", StringComparison.Ordinal);
        if (kernel != writes)
            mismatches.Append(CultureInfo.InvariantCulture, $"{proto}: {(kernel ? "writes" : "does not write")} its memory in the kernel, {(writes ? "writes" : "does not")} here\n");
    }

    /// <summary>With every size argument 0, the kernel objects to exactly the first ARG_CONST_SIZE (zero not allowed).</summary>
    private void CheckZeroSize(BpfProgType type, HelperPrototype proto, StringBuilder mismatches)
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
        KernelBpf.ProgLoadLogged((uint)type, insns, 0, 1, _logBuffer, out string log);
        var (kernelReg, _, other) = FirstComplaint(log);
        int kernel = other.Contains("invalid zero-sized read", StringComparison.Ordinal) ? kernelReg : 0;
        if (kernel != expected)
            mismatches.Append(CultureInfo.InvariantCulture, $"{proto}: a zero size is refused at {(kernel == 0 ? "no argument" : $"R{kernel}")} in the kernel, at {(expected == 0 ? "none" : $"R{expected}")} here\n");
    }

    /// <summary>
    /// The call with arguments built from <paramref name="proto"/> (sizes 8, or all 0 with <paramref name="zeroSizes"/>);
    /// the 1-based first argument a test cannot build, or 0.
    /// </summary>
    private (Instruction[] Insns, int FirstUnbuilt) BuildCall(HelperPrototype proto, bool readOnlyMemory, bool zeroSizes = false)
    {
        var items = new List<AsmItem> { Asm.Mov64Reg(R6, R1) };
        for (short off = -64; off < 0; off += 8) items.Add(Asm.StMem(Opcodes.BPF_DW, R10, off, 0));
        int firstUnbuilt = 0;
        for (int i = 0; i < 5; i++)
        {
            HelperArgType arg = proto.Arg(i);
            var reg = (Reg)(i + 1);
            if (arg.Base is BpfArgBase.PtrToCtx)
                items.Add(Asm.Mov64Reg(reg, R6));
            else if (arg.Base is BpfArgBase.ConstMapPtr && MapFor(proto.Id) is int mapFd and >= 0)
                items.Add(Asm.LdMapFd(reg, mapFd));
            else if (IsMemory(arg) && readOnlyMemory)
                items.Add(Asm.LdMapValue(reg, Map(2, 4, 64, 1, BPF_F_RDONLY_PROG), 0));
            else if (IsMemory(arg) || arg.Base is BpfArgBase.PtrToStack)
            {
                items.Add(Asm.Mov64Reg(reg, R10));
                items.Add(Asm.Add64(reg, -64));
            }
            else if (arg.Base is BpfArgBase.ConstSize)
                items.Add(Asm.Mov64Imm(reg, zeroSizes ? 0 : 8));
            else
            {
                items.Add(Asm.Mov64Imm(reg, 0));
                bool zeroFits = arg.Base is BpfArgBase.DontCare or BpfArgBase.Anything or BpfArgBase.ConstSizeOrZero
                    or BpfArgBase.ConstAllocSizeOrZero || arg.Has(BpfTypeFlag.PTR_MAYBE_NULL);
                if (!zeroFits && firstUnbuilt == 0) firstUnbuilt = i + 1;
            }
        }
        items.Add(Asm.Call(proto.Id));
        items.Add(Asm.Mov64Imm(R0, 0));
        items.Add(Asm.Exit());
        return (Asm.Program([.. items]), firstUnbuilt);
    }

    private static bool IsMemory(HelperArgType arg) =>
        arg.Base is BpfArgBase.PtrToMem or BpfArgBase.PtrToMapKey or BpfArgBase.PtrToMapValue or BpfArgBase.PtrToLong or BpfArgBase.PtrToInt;

    /// <summary>A map the helper accepts (kernel: check_map_func_compatibility), or -1 for one that needs BTF.</summary>
    private int MapFor(int helperId) => HelperNames.Get(helperId) switch
    {
        "bpf_tail_call" => Map(3, 4, 4, 1),
        "bpf_perf_event_read" or "bpf_perf_event_output" or "bpf_perf_event_read_value" => Map(4, 4, 4, 1),
        "bpf_get_stackid" => Map(7, 4, 64, 1),
        "bpf_skb_under_cgroup" or "bpf_current_task_under_cgroup" => Map(8, 4, 4, 1),
        "bpf_redirect_map" => Map(14, 4, 4, 1),
        "bpf_get_local_storage" => Map(19, 8, 8, 0),
        "bpf_map_push_elem" or "bpf_map_pop_elem" or "bpf_map_peek_elem" => Map(22, 0, 8, 1),
        "bpf_map_lookup_percpu_elem" => Map(6, 4, 8, 1),
        "bpf_ringbuf_output" or "bpf_ringbuf_reserve" or "bpf_ringbuf_query" or "bpf_ringbuf_reserve_dynptr" => Map(27, 0, 0, 4096),
        "bpf_user_ringbuf_drain" => Map(31, 0, 0, 4096),
        "bpf_sk_storage_get" or "bpf_sk_storage_delete" or "bpf_task_storage_get" or "bpf_task_storage_delete"
            or "bpf_cgrp_storage_get" or "bpf_cgrp_storage_delete" => -1,
        _ => Map(2, 4, 64, 1),
    };

    private int Map(uint type, uint keySize, uint valueSize, uint maxEntries, uint flags = 0)
    {
        var key = (type, keySize, valueSize, maxEntries, flags);
        if (!_maps.TryGetValue(key, out int fd))
            _maps[key] = fd = KernelBpf.MapCreate(type, keySize, valueSize, maxEntries, flags);
        return fd;
    }

    /// <summary>The kernel's list of register types compatible with an argument kind, as "R1 type=scalar expected=..." prints it.</summary>
    private static string Compatible(BpfArgBase kind) => kind switch
    {
        BpfArgBase.PtrToCtx => "ctx",
        BpfArgBase.ConstMapPtr => "map_ptr",
        BpfArgBase.PtrToMem or BpfArgBase.PtrToMapKey or BpfArgBase.PtrToMapValue or BpfArgBase.PtrToLong or BpfArgBase.PtrToInt
            => "fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_",
        BpfArgBase.PtrToSockCommon => "sock_common, sock, tcp_sock, xdp_sock",
        BpfArgBase.PtrToBtfIdSockCommon => "sock_common, sock, tcp_sock, xdp_sock, ptr_, trusted_ptr_",
        BpfArgBase.PtrToSocket => "sock",
        BpfArgBase.PtrToBtfId => "ptr_, trusted_ptr_, rcu_ptr_",
        BpfArgBase.PtrToPercpuBtfId => "percpu_ptr_, percpu_rcu_ptr_, percpu_trusted_ptr_",
        BpfArgBase.PtrToSpinLock or BpfArgBase.KptrXchgDest => "map_value, ptr_",
        BpfArgBase.PtrToTimer or BpfArgBase.PtrToConstStr => "map_value",
        BpfArgBase.PtrToDynptr => "fp, dynptr_ptr",
        BpfArgBase.PtrToRingbufMem => "ringbuf_mem",
        BpfArgBase.PtrToFunc => "func",
        BpfArgBase.PtrToStack => "fp",
        _ => kind.ToString(),
    };

    /// <summary>
    /// The first register the kernel objects to after the call (0 if none) and its expected= list; otherwise the
    /// message that ended the load ("accepted" if none). Precision-tracking lines (mark_precise) are skipped.
    /// </summary>
    private static (int Reg, string Expected, string Other) FirstComplaint(string log)
    {
        string[] lines = log.Split('\n');
        int call = Array.FindIndex(lines, l => l.Contains(": (85) call ", StringComparison.Ordinal));
        if (call < 0) return (0, "", lines.FirstOrDefault(l => l.Length > 0) ?? "");
        for (int i = call + 1; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.Length == 0 || line.StartsWith("mark_precise", StringComparison.Ordinal) || char.IsDigit(line[0])) continue;
            if (line.StartsWith("processed ", StringComparison.Ordinal)) break;
            Match m = Complaint().Match(line);
            return m.Success ? (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Value, line) : (0, "", line);
        }
        return (0, "", "accepted");
    }

    /// <summary>R0's type after the call, from the state the level-2 log prints on the call line or right after it; null when not printed.</summary>
    private static string? ReturnedType(string log)
    {
        string[] lines = log.Split('\n');
        int call = Array.FindIndex(lines, l => l.Contains(": (85) call ", StringComparison.Ordinal));
        for (int i = call; i >= 0 && i < lines.Length; i++)
        {
            if (i > call && lines[i].StartsWith("mark_precise", StringComparison.Ordinal)) continue;
            Match m = R0State().Match(lines[i]);
            if (m.Success) return m.Groups[1].Value;
            if (i > call) break;
        }
        return null;
    }

    [GeneratedRegex(@"^R(\d) (?:type=\S+ expected=(.*)|.*)$")]
    private static partial Regex Complaint();

    [GeneratedRegex(@"(?:; |^\d+: ).*?\bR0(?:_w)?=([a-z_]+)")]
    private static partial Regex R0State();
}
