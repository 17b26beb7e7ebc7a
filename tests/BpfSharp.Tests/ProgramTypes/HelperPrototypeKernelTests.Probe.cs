using System.Globalization;
using System.Text.RegularExpressions;
using BpfSharp.Isa;
using BpfSharp.Tests.Kernel;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.ProgramTypes;

// The probe's tools: a call built from a prototype, the maps it passes, and what the kernel's log says about it.
public partial class HelperPrototypeKernelTests
{
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
        items.Add(Asm.Mov64Imm(R0, _exitValue));
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
        "bpf_sk_redirect_map" or "bpf_msg_redirect_map" or "bpf_sock_map_update" or "bpf_sk_select_reuseport" => Map(15, 4, 4, 1),
        "bpf_sk_redirect_hash" or "bpf_msg_redirect_hash" or "bpf_sock_hash_update" => Map(18, 4, 4, 1),
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
