using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace BpfSharp.Isa;

/// <summary>
/// One 8-byte BPF instruction slot (kernel <c>struct bpf_insn</c>): opcode, dst and src
/// registers, signed 16-bit offset, signed 32-bit immediate. A 64-bit immediate load
/// (<c>lddw</c>) occupies two consecutive slots; the second carries the high 32 bits in <see cref="Imm"/>.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1, Size = 8)]
public readonly struct Instruction : IEquatable<Instruction>
{
    /// <summary>Size of one slot in bytes.</summary>
    public const int Size = 8;

    /// <summary>The opcode byte: class, source/size, operation/mode.</summary>
    public readonly byte Opcode;
    private readonly byte _regs;
    /// <summary>Signed offset (jump displacement, memory offset, or operation variant).</summary>
    public readonly short Offset;
    /// <summary>Signed 32-bit immediate.</summary>
    public readonly int Imm;

    /// <summary>Creates an instruction from its fields; registers are 4-bit values.</summary>
    public Instruction(byte opcode, byte dst, byte src, short offset, int imm)
    {
        Opcode = opcode;
        _regs = (byte)((dst & 0x0f) | (src << 4));
        Offset = offset;
        Imm = imm;
    }

    /// <summary>Creates an instruction from its fields using register names.</summary>
    public Instruction(byte opcode, Reg dst, Reg src, short offset, int imm)
        : this(opcode, (byte)dst, (byte)src, offset, imm) { }

    /// <summary>Destination register number (0-15 as encoded).</summary>
    public byte Dst => (byte)(_regs & 0x0f);
    /// <summary>Source register number (0-15 as encoded).</summary>
    public byte Src => (byte)(_regs >> 4);
    /// <summary>Instruction class (BPF_LD ... BPF_ALU64).</summary>
    public byte Class => (byte)(Opcode & 0x07);
    /// <summary>True for the first slot of a 64-bit immediate load.</summary>
    public bool IsLdImm64 => Opcode == Opcodes.LD_IMM64;

    /// <summary>The 64-bit immediate of an lddw whose second slot is <paramref name="next"/>.</summary>
    public ulong Imm64(in Instruction next) => (uint)Imm | ((ulong)(uint)next.Imm << 32);

    /// <summary>The instruction as the little-endian 64-bit word it is encoded as.</summary>
    public ulong Raw => Opcode | ((ulong)_regs << 8) | ((ulong)(ushort)Offset << 16) | ((ulong)(uint)Imm << 32);

    /// <summary>Decodes one slot from its little-endian 64-bit word, without validation.</summary>
    public static Instruction FromRaw(ulong raw) =>
        new((byte)raw, (byte)((raw >> 8) & 0xf), (byte)((raw >> 12) & 0xf), (short)(raw >> 16), (int)(raw >> 32));

    /// <summary>Reads one slot from 8 little-endian bytes, without validation.</summary>
    public static Instruction Read(ReadOnlySpan<byte> bytes) => FromRaw(BinaryPrimitives.ReadUInt64LittleEndian(bytes));

    /// <summary>Writes the slot as 8 little-endian bytes.</summary>
    public void WriteTo(Span<byte> destination) => BinaryPrimitives.WriteUInt64LittleEndian(destination, Raw);

    /// <summary>Encodes a sequence of slots as bytes.</summary>
    public static byte[] ToBytes(ReadOnlySpan<Instruction> program)
    {
        var bytes = new byte[program.Length * Size];
        for (int i = 0; i < program.Length; i++)
            program[i].WriteTo(bytes.AsSpan(i * Size));
        return bytes;
    }

    /// <inheritdoc/>
    public bool Equals(Instruction other) => Raw == other.Raw;
    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Instruction other && Equals(other);
    /// <inheritdoc/>
    public override int GetHashCode() => Raw.GetHashCode();
    /// <summary>Slot equality.</summary>
    public static bool operator ==(Instruction a, Instruction b) => a.Equals(b);
    /// <summary>Slot inequality.</summary>
    public static bool operator !=(Instruction a, Instruction b) => !a.Equals(b);

    /// <summary>Shows the raw fields: <c>{code=0xb7 dst=0 src=0 off=0 imm=1}</c>.</summary>
    public override string ToString() => $"{{code=0x{Opcode:x2} dst={Dst} src={Src} off={Offset} imm={Imm}}}";
}
