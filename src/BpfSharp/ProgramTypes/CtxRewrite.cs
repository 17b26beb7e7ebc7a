using BpfSharp.Isa;
using BpfSharp.Uapi;
using BpfSharp.Verifier;
using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.ProgramTypes;

/// <summary>
/// kernel: convert_ctx_accesses with bpf_convert_ctx_access / xdp_convert_ctx_access, after verification. The
/// native contexts (<see cref="SkBuff"/>, <see cref="XdpBuff"/>) keep every plain field at its UAPI offset, so
/// only the loads of the packet pointers change: the 4-byte load of <c>data</c>, <c>data_end</c> or
/// <c>data_meta</c> becomes an 8-byte load of the pointer slot after the UAPI struct, one instruction for one
/// (jump offsets stay). Other types' contexts are used as they are.
/// </summary>
public static class CtxRewrite
{
    /// <summary>
    /// Rewrites the context loads of <paramref name="insns"/> (as they will run) that <paramref name="result"/>
    /// found to read a packet pointer of <paramref name="type"/>'s context. Returns how many were rewritten.
    /// </summary>
    public static int Apply(BpfProgType type, Span<Instruction> insns, VerifierResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        int rewritten = 0;
        for (int i = 0; i < insns.Length; i++)
        {
            if (!result.IsCtxAccess(i)) continue;
            Instruction insn = insns[i];
            if (insn.Opcode != (BPF_LDX | BPF_MEM | BPF_W)) continue;
            int native = NativePointerOffset(type, insn.Offset);
            if (native < 0) continue;
            insns[i] = new Instruction((byte)(BPF_LDX | BPF_MEM | BPF_DW), insn.Dst, insn.Src, (short)native, 0);
            rewritten++;
        }
        return rewritten;
    }

    /// <summary>The native slot of the packet pointer at UAPI offset <paramref name="offset"/> of <paramref name="type"/>'s context, or -1.</summary>
    public static int NativePointerOffset(BpfProgType type, int offset)
    {
        switch (type)
        {
            case BpfProgType.SocketFilter or BpfProgType.SchedCls or BpfProgType.SchedAct or BpfProgType.CgroupSkb
                or BpfProgType.LwtIn or BpfProgType.LwtOut or BpfProgType.LwtXmit:
                return offset switch
                {
                    SkBuffLayout.Data => SkBuff.DataPointerOffset,
                    SkBuffLayout.DataEnd => SkBuff.DataEndPointerOffset,
                    SkBuffLayout.DataMeta => SkBuff.DataMetaPointerOffset,
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
