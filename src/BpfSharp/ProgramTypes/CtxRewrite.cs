using BpfSharp.Isa;
using BpfSharp.Uapi;
using BpfSharp.Verifier;
using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// kernel: convert_ctx_accesses with bpf_convert_ctx_access / xdp_convert_ctx_access, after verification. The
/// native contexts (<see cref="SkBuff"/>, <see cref="XdpBuff"/>) keep every plain field at its UAPI offset, so
/// most accesses stay; each rewrite replaces one instruction with one (jump offsets stay):
/// <list type="bullet">
/// <item>the 4-byte load of <c>data</c>, <c>data_end</c> or <c>data_meta</c> becomes an 8-byte load of the pointer
/// slot after the UAPI struct (also for the flow dissector, whose context is laid out as an skb's);</item>
/// <item><c>__sk_buff</c> fields the kernel keeps in fewer bytes (pkt_type in 1; protocol, queue_mapping, vlan_tci,
/// vlan_proto, tc_index, tc_classid, family, local_port, gso_segs, gso_size in 2): a narrow load at least that
/// wide reads the whole field, as the kernel's converted load does (so a 2-byte load of <c>protocol + 2</c> reads
/// the protocol), and a 4-byte store writes the field's width (tc_index, tc_classid, queue_mapping keep the low
/// 16 bits; a constant queue_mapping of 65535 or more is not stored at all). A register value of 65535 or more
/// stored to queue_mapping is truncated here where the kernel skips the store: that needs a compare.</item>
/// </list>
/// Other types' contexts are used as they are.
/// <para>Unverified loads (<c>BpfSystemOptions.Verify = false</c>) get no rewrites: without the verifier's proof of
/// which instructions reach the context, none can be changed safely. They run on the same native context, in checked
/// mode: plain fields, LD_ABS/LD_IND and the helpers work; the UAPI 32-bit slots of <c>data</c>, <c>data_end</c> and
/// <c>data_meta</c> read 0, so a packet access through them faults; the 64-bit pointer slots may be read directly.</para>
/// </summary>
public static class CtxRewrite
{
    /// <summary>
    /// Rewrites the context accesses of <paramref name="insns"/> (as they will run) that <paramref name="result"/>
    /// found (kernel: insn_aux_data's ptr_type PTR_TO_CTX) as the class remarks describe. Returns how many were rewritten.
    /// </summary>
    public static int Apply(BpfProgType type, Span<Instruction> insns, VerifierResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        int rewritten = 0;
        for (int i = 0; i < insns.Length; i++)
        {
            if (!result.IsCtxAccess(i)) continue;
            Instruction insn = insns[i];
            Instruction rewrite = insn;
            int native = NativePointerOffset(type, insn.Offset);
            if (insn.Opcode == (BPF_LDX | BPF_MEM | BPF_W) && native >= 0)
                rewrite = new Instruction((byte)(BPF_LDX | BPF_MEM | BPF_DW), insn.Dst, insn.Src, (short)native, 0);
            else if (IsSkb(type))
                rewrite = SkbFieldAccess(insn);
            if (rewrite.Raw == insn.Raw) continue;
            insns[i] = rewrite;
            rewritten++;
        }
        return rewritten;
    }

    // kernel: bpf_convert_ctx_access's target sizes: a narrow load no narrower than the field reads it whole; a
    // 4-byte store to a 2-byte field stores 2 bytes.
    private static Instruction SkbFieldAccess(Instruction insn)
    {
        int off = insn.Offset, field = off & ~3;
        int width = SkbFieldWidth(field);
        if (width == 4) return insn;
        byte cls = (byte)(insn.Opcode & 0x07), size = (byte)(insn.Opcode & 0x18), mode = (byte)(insn.Opcode & 0xe0);
        if (mode != BPF_MEM) return insn;
        if (cls == BPF_LDX && size != BPF_DW && Opcodes.SizeBytes(size) >= width && off != field)
            return new Instruction(insn.Opcode, insn.Dst, insn.Src, (short)field, insn.Imm);
        if (cls is BPF_STX or BPF_ST && size == BPF_W && width == 2)
        {
            if (cls == BPF_ST && field == SkBuffLayout.QueueMapping && (uint)insn.Imm >= 0xffff)
                return new Instruction((byte)(BPF_JMP | BPF_JA), (byte)0, (byte)0, 0, 0); // kernel: NO_QUEUE_MAPPING is not stored
            return new Instruction((byte)(cls | BPF_MEM | BPF_H), insn.Dst, insn.Src, insn.Offset, insn.Imm);
        }
        return insn;
    }

    // The bytes the kernel keeps an __sk_buff field in (4 for every field not listed, and for cb[]).
    private static int SkbFieldWidth(int field) => field switch
    {
        SkBuffLayout.PktType => 1,
        SkBuffLayout.QueueMapping or SkBuffLayout.Protocol or SkBuffLayout.VlanTci or SkBuffLayout.VlanProto
            or SkBuffLayout.TcIndex or SkBuffLayout.TcClassid or SkBuffLayout.Family or SkBuffLayout.LocalPort
            or SkBuffLayout.GsoSegs or SkBuffLayout.GsoSize => 2,
        _ => 4,
    };

    private static bool IsSkb(BpfProgType type) => type is BpfProgType.SocketFilter or BpfProgType.SchedCls
        or BpfProgType.SchedAct or BpfProgType.CgroupSkb or BpfProgType.LwtIn or BpfProgType.LwtOut or BpfProgType.LwtXmit;

    /// <summary>The native slot of the packet pointer at UAPI offset <paramref name="offset"/> of <paramref name="type"/>'s context, or -1.</summary>
    public static int NativePointerOffset(BpfProgType type, int offset)
    {
        switch (type)
        {
            case var _ when IsSkb(type):
                return offset switch
                {
                    SkBuffLayout.Data => SkBuff.DataPointerOffset,
                    SkBuffLayout.DataEnd => SkBuff.DataEndPointerOffset,
                    SkBuffLayout.DataMeta => SkBuff.DataMetaPointerOffset,
                    _ => -1,
                };
            case BpfProgType.FlowDissector:
                return offset switch
                {
                    SkBuffLayout.Data => SkBuff.DataPointerOffset,
                    SkBuffLayout.DataEnd => SkBuff.DataEndPointerOffset,
                    _ => -1,
                };
            case BpfProgType.Xdp:
                return offset switch
                {
                    XdpMdLayout.Data => XdpBuff.DataPointerOffset,
                    XdpMdLayout.DataEnd => XdpBuff.DataEndPointerOffset,
                    XdpMdLayout.DataMeta => XdpBuff.DataMetaPointerOffset,
                    _ => -1,
                };
            default:
                return -1;
        }
    }
}
