using System.Buffers.Binary;
using System.Text;
using BpfSharp.Isa;
using BpfSharp.Uapi;
using BpfSharp.Verifier;

namespace BpfSharp.Syscall;

/// <summary>
/// PROG_LOAD's line_info (kernel: check_btf_line): bpf_line_info records of at least 16 bytes (a multiple of 4, at most
/// a page), strictly increasing instruction offsets inside the program, each on a real instruction, with line and file
/// name offsets inside the BTF's strings. The lines the verifier log shows.
/// </summary>
internal static unsafe class LineInfo
{
    private const uint MinRecSize = 16;
    private const uint MaxRecSize = 4096;

    /// <summary>The records of <paramref name="a"/> resolved in <paramref name="btf"/>, or -errno with the kernel's message.</summary>
    public static int Read(in ProgLoadAttr a, BtfObject btf, ReadOnlySpan<Instruction> insns, out List<VerifierLineInfo>? lines, out string? message)
    {
        lines = null;
        message = null;
        if (a.LineInfoCnt == 0) return 0;
        uint rec = a.LineInfoRecSize;
        if (rec < MinRecSize || rec > MaxRecSize || (rec & 3) != 0 || a.LineInfoCnt > int.MaxValue / MaxRecSize)
            return -Errno.EINVAL;
        var raw = new byte[(long)rec * a.LineInfoCnt];
        fixed (byte* p = raw)
        {
            if (UserMemory.CopyFrom(a.LineInfo, p, (nuint)raw.Length) < 0) return -Errno.EFAULT;
        }
        ReadOnlySpan<byte> data = btf.Data;
        lines = new List<VerifierLineInfo>((int)a.LineInfoCnt);
        uint prev = 0;
        for (int i = 0; i < (int)a.LineInfoCnt; i++)
        {
            ReadOnlySpan<byte> r = raw.AsSpan(i * (int)rec, (int)rec);
            uint insnOff = BinaryPrimitives.ReadUInt32LittleEndian(r), file = BinaryPrimitives.ReadUInt32LittleEndian(r[4..]);
            uint line = BinaryPrimitives.ReadUInt32LittleEndian(r[8..]), lineCol = BinaryPrimitives.ReadUInt32LittleEndian(r[12..]);
            if ((i > 0 && insnOff <= prev) || insnOff >= (uint)insns.Length)
            {
                message = $"Invalid line_info[{i}].insn_off:{insnOff} (prev_offset:{prev} prog->len:{insns.Length})";
                return -Errno.EINVAL;
            }
            if (insns[(int)insnOff].Opcode == 0)
            {
                message = $"Invalid insn code at line_info[{i}].insn_off";
                return -Errno.EINVAL;
            }
            string? source = StringAt(data, line), fileName = StringAt(data, file);
            if (source is null || fileName is null)
            {
                message = $"Invalid line_info[{i}].line_off or .file_name_off";
                return -Errno.EINVAL;
            }
            lines.Add(new VerifierLineInfo((int)insnOff, source, fileName, lineCol >> 10));
            prev = insnOff;
        }
        return 0;
    }

    // kernel: btf_name_by_offset: a string inside the BTF's string section, or null.
    private static string? StringAt(ReadOnlySpan<byte> btf, uint offset)
    {
        if (btf.Length < 24) return null;
        uint hdrLen = BinaryPrimitives.ReadUInt32LittleEndian(btf[4..]);
        uint strOff = BinaryPrimitives.ReadUInt32LittleEndian(btf[16..]), strLen = BinaryPrimitives.ReadUInt32LittleEndian(btf[20..]);
        if (offset >= strLen || (ulong)hdrLen + strOff + strLen > (ulong)btf.Length) return null;
        ReadOnlySpan<byte> s = btf.Slice((int)(hdrLen + strOff + offset), (int)(strLen - offset));
        int end = s.IndexOf((byte)0);
        return end < 0 ? null : Encoding.UTF8.GetString(s[..end]);
    }
}
