using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using BpfSharp.Isa;
using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.Syscall;

/// <summary><c>__u8 tag[BPF_TAG_SIZE]</c>: a program's tag, the first 8 bytes of a SHA-256 of its instructions.</summary>
[InlineArray(Size)]
public struct ProgTag
{
    /// <summary>BPF_TAG_SIZE.</summary>
    public const int Size = 8;

    private byte _element0;

    /// <summary>The tag as 16 lowercase hex digits, as bpftool prints it.</summary>
    public override readonly string ToString() => Convert.ToHexStringLower(this);

    /// <summary>
    /// kernel: bpf_prog_calc_tag. The tag of a program as loaded (before map fds are resolved):
    /// the digest of the instructions with both immediates of every map lddw (BPF_PSEUDO_MAP_FD,
    /// BPF_PSEUDO_MAP_VALUE) zeroed, since fds differ from one load to the next. The digest is
    /// SHA-256 as in Linux 6.18 (checked against the live kernel); kernels before it used SHA-1.
    /// </summary>
    public static ProgTag Compute(ReadOnlySpan<Instruction> program)
    {
        byte[] bytes = new byte[program.Length * Instruction.Size];
        bool wasLdMap = false;
        for (int i = 0; i < program.Length; i++)
        {
            Instruction insn = program[i];
            if (!wasLdMap && insn.Opcode == LD_IMM64 && insn.Src is BPF_PSEUDO_MAP_FD or BPF_PSEUDO_MAP_VALUE)
            {
                wasLdMap = true;
                insn = new Instruction(insn.Opcode, insn.Dst, insn.Src, insn.Offset, 0);
            }
            else if (wasLdMap && insn.Opcode == 0 && insn.Dst == 0 && insn.Src == 0 && insn.Offset == 0)
            {
                wasLdMap = false;
                insn = default;
            }
            else
            {
                wasLdMap = false;
            }
            insn.WriteTo(bytes.AsSpan(i * Instruction.Size));
        }
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes, digest);
        ProgTag tag = default;
        digest[..Size].CopyTo(tag);
        return tag;
    }
}
