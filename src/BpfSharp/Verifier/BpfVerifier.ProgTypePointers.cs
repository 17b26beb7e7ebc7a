using BpfSharp.ProgramTypes;
using BpfSharp.Uapi;

namespace BpfSharp.Verifier;

// kernel: the branches of check_mem_access for the pointers program types hand out from their context or helpers:
// check_flow_keys_access (flow dissector), check_sock_access (sockets), check_tp_buffer_access (writable raw
// tracepoints).
public sealed partial class BpfVerifier
{
    // kernel: type_is_sk_pointer, which names the exact types (a socket pointer that may be NULL is not one).
    private static bool IsExactSkPointer(RegType type) =>
        type is RegType.PtrToSocket or RegType.PtrToSockCommon or RegType.PtrToTcpSock or RegType.PtrToXdpSock;

    private void CheckProgTypePointerAccess(int regno, in RegState reg, int off, int size, BpfAccessType t, int valueRegno)
    {
        RegState[] regs = Regs;
        if (reg.Type == RegType.PtrToFlowKeys)
        {
            if (t == BpfAccessType.Write && valueRegno >= 0 && IsPointerValue(valueRegno))
                throw Fail(-Errno.EACCES, Inv($"R{valueRegno} leaks addr into flow keys"));
            // kernel: check_flow_keys_access
            if (off < 0 || (long)off + size > FlowDissectorOps.FlowKeysSize)
                throw Fail(-Errno.EACCES, Inv($"invalid access to flow keys off={off} size={size}"));
            if (t == BpfAccessType.Read && valueRegno >= 0)
                MarkRegUnknown(ref regs[valueRegno]);
        }
        else if (reg.Type == RegType.PtrToTpBuffer)
        {
            // kernel: check_tp_buffer_access, __check_buffer_access
            if (off < 0)
                throw Fail(-Errno.EACCES, Inv($"R{regno} invalid tracepoint buffer access: off={off}, size={size}"));
            if (!reg.Bounds.VarOff.IsConst || reg.Bounds.VarOff.Value != 0)
                throw Fail(-Errno.EACCES, Inv($"R{regno} invalid variable buffer offset: off={off}, var_off={reg.Bounds.VarOff}"));
            if (t == BpfAccessType.Read && valueRegno >= 0)
                MarkRegUnknown(ref regs[valueRegno]);
        }
        else
        {
            if (t == BpfAccessType.Write)
                throw Fail(-Errno.EACCES, Inv($"R{regno} cannot write into {reg.Type.LogName()}"));
            // kernel: check_sock_access
            if (reg.Bounds.SMin < 0)
                throw Fail(-Errno.EACCES,
                    Inv($"R{regno} min value is negative, either use unsigned index or do a if (index >=0) check."));
            var info = new CtxAccessInfo { RegType = RegType.ScalarValue };
            if (!SockAccess.IsValid(reg.Type, off, size, ref info))
                throw Fail(-Errno.EACCES, Inv($"R{regno} invalid {reg.Type.LogName()} access off={off} size={size}"));
            if (valueRegno >= 0)
                MarkRegUnknown(ref regs[valueRegno]);
        }
    }
}
