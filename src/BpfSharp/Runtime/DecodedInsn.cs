using System.Runtime.InteropServices;

namespace BpfSharp.Runtime;

/// <summary>
/// One pre-decoded instruction slot, 16 bytes: the compact operation, registers, the offset
/// (memory offset or jump/call displacement relative to the next slot) and the immediate
/// (sign-extended to 64 bits; the full value for lddw; the helper id for calls).
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 16)]
internal struct DecodedInsn
{
    public ExecOp Op;
    public byte Dst;
    public byte Src;
    public int Off;
    public long Imm;
}
