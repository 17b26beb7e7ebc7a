using System.Buffers.Binary;
using BpfSharp.Elf.Btf;
using BpfSharp.Uapi;
using BpfSharp.Verifier;

namespace BpfSharp.Syscall;

/// <summary>
/// PROG_LOAD's func_info (kernel: check_btf_func_early): bpf_func_info records of 8 to 252 bytes (a multiple of 4; the
/// bytes past the 8 the kernel knows must be zero), the first at instruction 0 and the others at strictly increasing
/// offsets, each naming a BTF FUNC whose type is a FUNC_PROTO. That the offsets are the subprogram starts is checked
/// by the verifier once it has found the subprograms (kernel: check_btf_func).
/// </summary>
internal static unsafe class FuncInfo
{
    private const uint MinRecSize = 8;   // kernel: MIN_BPF_FUNCINFO_SIZE
    private const uint MaxRecSize = 252; // kernel: MAX_FUNCINFO_REC_SIZE

    /// <summary>
    /// The records of <paramref name="a"/> resolved in <paramref name="btf"/>, or -errno with the kernel's log text in
    /// <paramref name="text"/> (some of the kernel's lines end without a newline, and the log goes on on the same line).
    /// </summary>
    public static int Read(in ProgLoadAttr a, BtfBlob btf, out List<VerifierFuncInfo>? funcs, out string? text)
    {
        funcs = null;
        text = null;
        uint count = a.FuncInfoCnt, rec = a.FuncInfoRecSize;
        if (count == 0) return 0;
        if (rec < MinRecSize || rec > MaxRecSize || rec % 4 != 0)
        {
            text = $"invalid func info rec size {rec}\n";
            return -Errno.EINVAL;
        }
        var list = new List<VerifierFuncInfo>((int)Math.Min(count, 1024u));
        Span<byte> r = stackalloc byte[(int)MaxRecSize];
        r = r[..(int)rec];
        uint prev = 0;
        for (uint i = 0; i < count; i++)
        {
            fixed (byte* p = r)
            {
                if (UserMemory.CopyFrom(a.FuncInfo + (ulong)i * rec, p, rec) < 0) return -Errno.EFAULT;
            }
            if (r[(int)MinRecSize..].ContainsAnyExcept((byte)0))
            {
                text = "nonzero tailing record in func info";
                return -Errno.E2BIG;
            }
            uint insnOff = BinaryPrimitives.ReadUInt32LittleEndian(r), typeId = BinaryPrimitives.ReadUInt32LittleEndian(r[4..]);
            if (i == 0 && insnOff != 0)
            {
                text = $"nonzero insn_off {insnOff} for the first func info record";
                return -Errno.EINVAL;
            }
            if (i > 0 && insnOff <= prev)
            {
                text = $"same or smaller insn offset ({insnOff}) than previous func info record ({prev})";
                return -Errno.EINVAL;
            }
            if (typeId >= (uint)btf.TypeCount || btf.GetType(typeId).Kind != BtfKind.Func || typeId == 0)
            {
                text = $"invalid type id {(int)typeId} in func info";
                return -Errno.EINVAL;
            }
            uint proto = btf.GetType(typeId).Type;
            if (proto >= (uint)btf.TypeCount || btf.GetType(proto).Kind != BtfKind.FuncProto)
                return -Errno.EINVAL; // the BTF load checked this already
            list.Add(new VerifierFuncInfo((int)Math.Min(insnOff, int.MaxValue), typeId));
            prev = insnOff;
        }
        funcs = list;
        return 0;
    }
}
