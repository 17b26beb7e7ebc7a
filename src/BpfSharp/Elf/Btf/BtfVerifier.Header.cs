using System.Buffers.Binary;
using BpfSharp.Uapi;

namespace BpfSharp.Elf.Btf;

internal sealed partial class BtfVerifier
{
    /// <summary>kernel: btf_parse_hdr and btf_check_sec_info.</summary>
    private void ParseHeader()
    {
        byte[] data = _raw.Data;
        uint size = (uint)data.Length;
        if (size < 8)
            throw Fail($"btf header (btf size {U(size)}): hdr_len not found", 0);
        uint hdrLen = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(4));
        if (size < hdrLen)
            throw Fail($"btf header (hdr_len {U(hdrLen)}, btf size {U(size)}): btf_header not found", 4);
        for (uint i = BtfConstants.HeaderSize; i < hdrLen; i++)
            if (data[i] != 0)
                throw Fail($"btf header (hdr_len {U(hdrLen)}, byte {U(i)} is not zero): Unsupported btf_header", i, Errno.E2BIG);

        // The kernel copies min(hdr_len, sizeof(struct btf_header)) bytes over a zeroed header.
        Span<byte> copy = stackalloc byte[BtfConstants.HeaderSize];
        copy.Clear();
        data.AsSpan(0, (int)Math.Min(hdrLen, (uint)BtfConstants.HeaderSize)).CopyTo(copy);
        _hdr = new BtfHeader(
            BinaryPrimitives.ReadUInt16LittleEndian(copy), copy[2], copy[3],
            BinaryPrimitives.ReadUInt32LittleEndian(copy[4..]), BinaryPrimitives.ReadUInt32LittleEndian(copy[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(copy[12..]), BinaryPrimitives.ReadUInt32LittleEndian(copy[16..]),
            BinaryPrimitives.ReadUInt32LittleEndian(copy[20..]));

        if (_hdr.Magic != BtfConstants.Magic)
            throw Fail($"btf header (magic 0x{_hdr.Magic:x}, expected 0x{BtfConstants.Magic:x}): Invalid magic", 0);
        if (_hdr.Version != BtfConstants.Version)
            throw Fail($"btf header (version {_hdr.Version}): Unsupported version", 2, Errno.ENOTSUPP);
        if (_hdr.Flags != 0)
            throw Fail($"btf header (flags 0x{_hdr.Flags:x}): Unsupported flags", 3, Errno.ENOTSUPP);
        if (size == _hdr.HeaderLength)
            throw Fail($"btf header (hdr_len {U(_hdr.HeaderLength)}, btf size {U(size)}): No data", 4);
        CheckSections(size);
    }

    /// <summary>kernel: btf_check_sec_info: the two sections must tile the bytes after the header exactly.</summary>
    private void CheckSections(uint size)
    {
        var a = (Off: _hdr.TypeOffset, Len: _hdr.TypeLength);
        var b = (Off: _hdr.StringOffset, Len: _hdr.StringLength);
        // The kernel sorts with (int)(x.off - y.off), then (int)(x.len - y.len).
        int order = (int)(a.Off - b.Off);
        if (order == 0) order = (int)(a.Len - b.Len);
        if (order > 0) (a, b) = (b, a);

        string where = $"btf header (type_off {U(_hdr.TypeOffset)} type_len {U(_hdr.TypeLength)} " +
            $"str_off {U(_hdr.StringOffset)} str_len {U(_hdr.StringLength)}, btf size {U(size)})";
        uint expectedTotal = size - _hdr.HeaderLength;
        uint total = 0;
        foreach (var sec in new[] { a, b })
        {
            if (expectedTotal < sec.Off) throw Fail($"{where}: Invalid section offset", 8);
            if (total < sec.Off) throw Fail($"{where}: Unsupported section found", 8);
            if (total > sec.Off) throw Fail($"{where}: Section overlap found", 8);
            if (expectedTotal - total < sec.Len) throw Fail($"{where}: Total section length too long", 8);
            total += sec.Len;
        }
        if (expectedTotal != total) throw Fail($"{where}: Unsupported section found", 8);
    }

    /// <summary>kernel: btf_parse_str_sec: the strings end the blob, start and end with NUL.</summary>
    private void ParseStringSection()
    {
        byte[] data = _raw.Data;
        ulong start = (ulong)_hdr.HeaderLength + _hdr.StringOffset;
        ulong end = start + _hdr.StringLength;
        string where = $"btf strings (str_off {U(_hdr.StringOffset)} str_len {U(_hdr.StringLength)})";
        if (end != (ulong)data.Length)
            throw Fail($"{where}: String section is not at the end", 16);
        if (_hdr.StringLength == 0 || _hdr.StringLength - 1 > BtfConstants.MaxNameOffset || data[end - 1] != 0)
            throw Fail($"{where}: Invalid string section", (long)start);
        if (data[start] != 0)
            throw Fail($"{where}: Invalid string section", (long)start);
        _raw.StrBase = (int)start;
        _raw.StrLen = _hdr.StringLength;
    }

    /// <summary>kernel: btf_parse_type_sec: both passes over the types.</summary>
    private void ParseTypeSection()
    {
        if ((_hdr.TypeOffset & 3) != 0)
            throw Fail($"btf header (type_off {U(_hdr.TypeOffset)}): Unaligned type_off", 8);
        if (_hdr.TypeLength == 0)
            throw Fail("btf header (type_len 0): No type found", 12);
        CheckAllMetas();
        CheckAllTypes();
    }
}
