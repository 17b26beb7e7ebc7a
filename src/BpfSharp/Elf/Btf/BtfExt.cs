using System.Buffers.Binary;
using BpfSharp.Isa;

namespace BpfSharp.Elf.Btf;

/// <summary>One bpf_func_info: the instruction a function starts at and its BTF FUNC type.</summary>
/// <param name="Instruction">Instruction index (the object file stores a byte offset; this is that divided by 8).</param>
/// <param name="TypeId">The FUNC type's id.</param>
public readonly record struct BtfFuncInfo(int Instruction, uint TypeId);

/// <summary>One bpf_line_info: the source line an instruction comes from.</summary>
/// <param name="Instruction">Instruction index.</param>
/// <param name="FileNameOffset">The file name's offset in the BTF string section.</param>
/// <param name="LineOffset">The source line text's offset in the BTF string section.</param>
/// <param name="Line">Line number.</param>
/// <param name="Column">Column.</param>
public readonly record struct BtfLineInfo(int Instruction, uint FileNameOffset, uint LineOffset, uint Line, uint Column);

/// <summary>One bpf_core_relo: a CO-RE relocation of an instruction (libbpf resolves it against a target's BTF).</summary>
/// <param name="Instruction">Instruction index.</param>
/// <param name="TypeId">The root type in the object's BTF.</param>
/// <param name="AccessStringOffset">The access string ("0:1:2") in the BTF string section.</param>
/// <param name="Kind">enum bpf_core_relo_kind.</param>
public readonly record struct BtfCoreRelocation(int Instruction, uint TypeId, uint AccessStringOffset, uint Kind);

/// <summary>
/// The <c>.BTF.ext</c> section of a BPF object: function, line and CO-RE relocation records grouped by the code
/// section they describe (the layout of libbpf's btf_ext). Offsets are checked; instruction byte offsets must be
/// multiples of 8.
/// </summary>
public sealed class BtfExt
{
    private const ushort Magic = 0xeB9F;
    private const int MinHeader = 24, CoreHeader = 32;
    private const int FuncRec = 8, LineRec = 16, CoreRec = 16;

    /// <summary>Function records by section name.</summary>
    public Dictionary<string, List<BtfFuncInfo>> Functions { get; } = new(StringComparer.Ordinal);
    /// <summary>Line records by section name.</summary>
    public Dictionary<string, List<BtfLineInfo>> Lines { get; } = new(StringComparer.Ordinal);
    /// <summary>CO-RE relocations by section name.</summary>
    public Dictionary<string, List<BtfCoreRelocation>> CoreRelocations { get; } = new(StringComparer.Ordinal);

    /// <summary>Parses <paramref name="data"/>; section names are read from <paramref name="btf"/>'s strings.</summary>
    /// <exception cref="BpfFormatException">A header field, record size or count lies outside the section.</exception>
    public static BtfExt Parse(ReadOnlySpan<byte> data, BtfBlob btf)
    {
        if (data.Length < MinHeader || BinaryPrimitives.ReadUInt16LittleEndian(data) != Magic)
            throw Fault("bad magic or a header shorter than 24 bytes", 0);
        if (data[2] != 1) throw Fault($"version {data[2]} is not 1", 2);
        uint hdrLen = U32(data, 4);
        if (hdrLen < MinHeader || hdrLen > (uint)data.Length) throw Fault($"header length {hdrLen} is out of range", 4);
        var ext = new BtfExt();
        ext.ReadSection(data, btf, hdrLen, 8, FuncRec, (d, insn) => (ext.Functions, new BtfFuncInfo(insn, U32(d, 4))));
        ext.ReadSection(data, btf, hdrLen, 16, LineRec,
            (d, insn) => (ext.Lines, new BtfLineInfo(insn, U32(d, 4), U32(d, 8), U32(d, 12) >> 10, U32(d, 12) & 0x3ff)));
        if (hdrLen >= CoreHeader)
            ext.ReadSection(data, btf, hdrLen, 24, CoreRec,
                (d, insn) => (ext.CoreRelocations, new BtfCoreRelocation(insn, U32(d, 4), U32(d, 8), U32(d, 12))));
        return ext;
    }

    private delegate (Dictionary<string, List<T>> Into, T Record) RecordReader<T>(ReadOnlySpan<byte> record, int instruction);

    // One info block: rec_size, then per section {sec_name_off, num_info, records}.
    private void ReadSection<T>(ReadOnlySpan<byte> data, BtfBlob btf, uint hdrLen, int offField, int minRec, RecordReader<T> read)
    {
        ulong off = hdrLen + (ulong)U32(data, offField), len = U32(data, offField + 4);
        if (len == 0) return;
        if (off + len > (ulong)data.Length) throw Fault($"info at {off} ({len} bytes) lies outside the section", offField);
        ReadOnlySpan<byte> block = data.Slice((int)off, (int)len);
        if (block.Length < 4) throw Fault("info block shorter than its record size", (long)off);
        uint recSize = U32(block, 0);
        if (recSize < minRec || recSize > 1024 || recSize % 4 != 0) throw Fault($"record size {recSize} is invalid", (long)off);
        int at = 4;
        while (at < block.Length)
        {
            if (block.Length - at < 8) throw Fault("truncated section header", (long)off + at);
            uint nameOff = U32(block, at), count = U32(block, at + 4);
            at += 8;
            if (count == 0 || (ulong)count * recSize > (ulong)(block.Length - at))
                throw Fault($"{count} records of {recSize} bytes do not fit", (long)off + at - 4);
            string section;
            try
            {
                section = btf.StringAt(nameOff);
            }
            catch (ArgumentOutOfRangeException)
            {
                throw Fault($"section name offset {nameOff} is outside the BTF strings", (long)off + at - 8);
            }
            for (uint i = 0; i < count; i++, at += (int)recSize)
            {
                uint insnOff = U32(block, at);
                if (insnOff % Instruction.Size != 0) throw Fault($"instruction offset {insnOff} is not a multiple of 8", (long)off + at);
                var (into, record) = read(block.Slice(at, (int)recSize), (int)(insnOff / Instruction.Size));
                if (!into.TryGetValue(section, out List<T>? list)) into[section] = list = [];
                list.Add(record);
            }
        }
    }

    private static uint U32(ReadOnlySpan<byte> d, int at) => BinaryPrimitives.ReadUInt32LittleEndian(d[at..]);

    private static BpfFormatException Fault(string message, long offset) =>
        new($"ELF: section '.BTF.ext' offset {offset}: {message}", offset: offset, section: ".BTF.ext");
}
