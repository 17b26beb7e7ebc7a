using System.Buffers.Binary;
using System.Text;
using BpfSharp.Elf.Btf;
using BpfSharp.Isa;

namespace BpfSharp.Elf;

// .BTF as libbpf prepares it for the kernel: clang leaves DATASEC sizes (and .maps variable offsets) at 0;
// libbpf's btf_fixup_datasec takes them from the ELF section and the variables' symbols.
internal sealed partial class ObjectReader
{
    private const int BtfHeaderLen = 24;
    private const string KconfigSection = ".kconfig";
    private const uint MaxKconfigValue = 4096; // a CONFIG_ string is short; anything larger is a corrupt object

    // A .kconfig extern: where it lies in the .kconfig map's value.
    private readonly record struct KconfigVar(string Name, uint Offset, int Size);

    private readonly List<KconfigVar> _kconfig = [];
    private BtfExt? _btfExt;

    private void ReadBtf()
    {
        ElfSection? section = _elf.Sections.FirstOrDefault(s => s.Name == ".BTF");
        if (section is null) return;
        byte[] blob = _elf.Data(section).ToArray();
        try
        {
            FixUpBtf(blob, section);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw Fault(section, 0, "type records run past the end of the section");
        }
        try
        {
            // As libbpf: the object is read with its own parser's checks; the kernel's stricter ones decide at load
            // whether the BTF goes with the object (Collection: "BTF is optional").
            _spec.Btf = BtfBlob.ParseForLoader(blob);
        }
        catch (BpfFormatException e)
        {
            throw Fault(section, (ulong)Math.Max(e.Offset, 0), $"invalid BTF: {e.Message}");
        }
        if (_elf.Sections.FirstOrDefault(s => s.Name == ".BTF.ext") is { } ext)
        {
            _btfExt = BtfExt.Parse(_elf.Data(ext), _spec.Btf);
            foreach (List<BtfFuncInfo> l in _btfExt.Functions.Values) SortByInstruction(l, r => r.Instruction);
            foreach (List<BtfLineInfo> l in _btfExt.Lines.Values) SortByInstruction(l, r => r.Instruction);
            foreach (List<BtfCoreRelocation> l in _btfExt.CoreRelocations.Values) SortByInstruction(l, r => r.Instruction);
        }
    }

    // The .BTF.ext records of instructions [f.Start, f.Start + f.Count), moved to where the function lies in the program.
    // A section's records are sorted by instruction (clang writes them so; sorted here to be sure), so the function's
    // records are found by binary search: a section of hundreds of programs is not scanned once per program.
    private static IEnumerable<T> RecordsOf<T>(Dictionary<string, List<T>>? bySection, string section, int start, int count, int dest,
        Func<T, int> insn, Func<T, int, T> move)
    {
        if (bySection is null || !bySection.TryGetValue(section, out List<T>? records)) yield break;
        int lo = 0, hi = records.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (insn(records[mid]) < start) lo = mid + 1;
            else hi = mid;
        }
        for (int i = lo; i < records.Count && insn(records[i]) < start + count; i++)
            yield return move(records[i], insn(records[i]) - start + dest);
    }

    // A stable sort, done only if needed: records of one instruction keep their order.
    private static void SortByInstruction<T>(List<T> records, Func<T, int> insn)
    {
        for (int i = 1; i < records.Count; i++)
        {
            if (insn(records[i - 1]) <= insn(records[i])) continue;
            T[] sorted = [.. records.OrderBy(insn)];
            records.Clear();
            records.AddRange(sorted);
            return;
        }
    }

    // libbpf's fix-ups of the object's BTF before it is loaded: DATASEC sizes and variable offsets from the ELF
    // sections and symbols (the .kconfig DATASEC laid out as libbpf lays it out), then hidden functions made static.
    private void FixUpBtf(byte[] blob, ElfSection btf)
    {
        if (blob.Length < BtfHeaderLen || BinaryPrimitives.ReadUInt16LittleEndian(blob) != 0xeB9F)
            throw Fault(btf, 0, "bad BTF magic or header");
        int hdrLen = BinaryPrimitives.ReadInt32LittleEndian(blob.AsSpan(4));
        int typeOff = BinaryPrimitives.ReadInt32LittleEndian(blob.AsSpan(8));
        int typeLen = BinaryPrimitives.ReadInt32LittleEndian(blob.AsSpan(12));
        int strOff = BinaryPrimitives.ReadInt32LittleEndian(blob.AsSpan(16));
        int strLen = BinaryPrimitives.ReadInt32LittleEndian(blob.AsSpan(20));
        if (hdrLen < BtfHeaderLen || typeOff < 0 || typeLen < 0 || strOff < 0 || strLen < 0
            || (long)hdrLen + typeOff + typeLen > blob.Length || (long)hdrLen + strOff + strLen > blob.Length)
            throw Fault(btf, 0, "BTF header sections lie outside the blob");
        int strBase = hdrLen + strOff;
        string Name(uint off) => off < (uint)strLen ? CString(blob.AsSpan(strBase + (int)off, strLen - (int)off)) : "";

        // Types by id, to read each VAR's name from its DATASEC entry.
        var offsets = new List<int> { -1 };
        int at = hdrLen + typeOff, end = at + typeLen;
        while (at < end)
        {
            if (end - at < 12) throw Fault(btf, (ulong)at, "truncated type record");
            uint info = BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(at + 4));
            int extra = ((BtfKind)((info >> 24) & 0x1f)).ExtraSize((int)(info & 0xffff));
            if (extra < 0) throw Fault(btf, (ulong)at, $"unknown BTF kind {(info >> 24) & 0x1f}");
            offsets.Add(at);
            at += 12 + extra;
        }
        foreach (int record in offsets.Skip(1))
        {
            uint info = BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(record + 4));
            if ((BtfKind)((info >> 24) & 0x1f) != BtfKind.Datasec) continue;
            string secName = Name(BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(record)));
            int vlen = (int)(info & 0xffff);
            if (secName == KconfigSection)
            {
                LayOutKconfig(blob, btf, record, vlen, offsets, Name);
                continue;
            }
            ElfSection? sec = _elf.Sections.FirstOrDefault(s => s.Name == secName);
            if (sec is null) continue; // e.g. .ksyms: no section; its externs are refused where a program uses them
            BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(record + 8), (uint)sec.Size);
            for (int i = 0; i < vlen; i++)
            {
                int entry = record + 12 + 12 * i;
                uint varId = BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(entry));
                if (varId == 0 || varId >= (uint)offsets.Count) continue; // the verifier reports it
                string varName = Name(BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(offsets[(int)varId])));
                ElfSymbol? sym = SymbolsIn(sec).Find(s => s.Name == varName);
                if (sym is not null)
                    BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(entry + 4), (uint)sym.Value);
            }
        }
        MarkHiddenFunctionsStatic(blob, offsets, Name);
    }

    // libbpf (mark_btf_static): a non-local function symbol with hidden or internal visibility (__hidden, as
    // libbpf's own usdt.bpf.h declares its helpers) is static to the verifier: its BTF FUNC linkage becomes static,
    // so it is verified inline with its caller instead of on its own as a global function.
    private void MarkHiddenFunctionsStatic(byte[] blob, List<int> offsets, Func<uint, string> name)
    {
        const int StbLocal = 0, SttFunc = 2, StvInternal = 1, StvHidden = 2;
        HashSet<string>? hidden = null;
        foreach (ElfSymbol s in _elf.Symbols)
        {
            if (s.Type == SttFunc && s.Binding != StbLocal && s.Visibility is StvInternal or StvHidden)
                (hidden ??= new HashSet<string>(StringComparer.Ordinal)).Add(s.Name);
        }
        if (hidden is null) return;
        foreach (int record in offsets.Skip(1))
        {
            uint info = BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(record + 4));
            if ((BtfKind)((info >> 24) & 0x1f) != BtfKind.Func || (info & 0xffff) != 1 /* BTF_FUNC_GLOBAL */) continue;
            if (hidden.Contains(name(BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(record)))))
                BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(record + 4), info & ~0xffffu); // BTF_FUNC_STATIC
        }
    }

    // libbpf's layout of the .kconfig externs (bpf_object__collect_externs): by descending alignment, then ascending
    // size, then name, each at an offset aligned to its alignment; the VARs become allocated globals (BTF_VAR_GLOBAL_ALLOCATED)
    // and the DATASEC gets their offsets, in offset order, and its size.
    private void LayOutKconfig(byte[] blob, ElfSection btf, int record, int vlen, List<int> offsets, Func<uint, string> name)
    {
        var vars = new List<(uint VarId, string Name, uint Size, uint Align)>();
        for (int i = 0; i < vlen; i++)
        {
            int entry = record + 12 + 12 * i;
            uint varId = BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(entry));
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(entry + 8));
            if (varId == 0 || varId >= (uint)offsets.Count || size == 0 || size > MaxKconfigValue)
                throw Fault(btf, (ulong)entry, $".kconfig entry [{varId}] of {size} bytes: no variable, or not a kconfig value's size");
            uint align = size is 1 or 2 or 4 or 8 ? size : 1;
            vars.Add((varId, name(BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(offsets[(int)varId]))), size, align));
        }
        vars.Sort((a, b) => a.Align != b.Align ? b.Align.CompareTo(a.Align)
            : a.Size != b.Size ? a.Size.CompareTo(b.Size) : string.CompareOrdinal(a.Name, b.Name));
        uint off = 0;
        for (int i = 0; i < vars.Count; i++)
        {
            var v = vars[i];
            off = (off + v.Align - 1) / v.Align * v.Align;
            int entry = record + 12 + 12 * i;
            BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(entry), v.VarId);
            BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(entry + 4), off);
            BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(entry + 8), v.Size);
            BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(offsets[(int)v.VarId] + 12), 1); // BTF_VAR_GLOBAL_ALLOCATED
            _kconfig.Add(new KconfigVar(v.Name, off, (int)v.Size));
            off += v.Size;
        }
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(record + 8), off);
    }

    private static string CString(ReadOnlySpan<byte> bytes)
    {
        int end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }
}
