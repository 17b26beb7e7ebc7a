using System.Buffers.Binary;
using BpfSharp.Elf;
using BpfSharp.Isa;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Kernel;

/// <summary>
/// Our loader's output (a <see cref="CollectionSpec"/>) created in the live kernel instead of a BpfSystem: maps
/// made with BPF_MAP_CREATE (global data written, .rodata frozen, map-in-map slots filled) and programs loaded
/// with the kernel's map fds, so the kernel's verdict and test run can be compared with ours.
/// </summary>
internal sealed class KernelObject : IDisposable
{
    private readonly Dictionary<string, int> _maps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _programs = new(StringComparer.Ordinal);

    /// <summary>The maps' fds by name.</summary>
    public IReadOnlyDictionary<string, int> Maps => _maps;

    private readonly int _btf;
    private readonly CollectionSpec _spec;

    /// <summary>Loads the object's BTF and creates every map of <paramref name="spec"/>; throws if the kernel refuses one.</summary>
    public KernelObject(CollectionSpec spec)
    {
        _spec = spec;
        if (spec.Btf is not null)
        {
            _btf = KernelBtfOracle.BtfLoad(spec.Btf.Data.ToArray(), out string log);
            if (_btf < 0) throw new InvalidOperationException($"kernel refused the object's BTF: {Errno.Name(-_btf)}\n{log}");
        }
        foreach (MapSpec m in spec.Maps.Values)
        {
            int inner = m.InnerMap is { } i ? Check(Create(i, 0), m.Name) : 0;
            int fd = Check(Create(m, inner), m.Name);
            if (inner > 0) KernelBpf.Close(inner);
            _maps[m.Name] = fd;
            if (m.Contents is not null)
            {
                Check(KernelBpf.MapUpdate(fd, new byte[4], m.Contents), m.Name);
                if (m.Freeze) Check(KernelMapOracle.Freeze(fd), m.Name);
            }
        }
        foreach (MapSpec m in spec.Maps.Values)
            if (m.Type != BpfMapType.ProgArray) FillSlots(m, _maps);
    }

    // As our loader (and libbpf): the map described by the object's BTF, or without it if the kernel refuses that.
    private int Create(MapSpec m, int inner)
    {
        // the defaults our loader applies to a perf event array: libbpf's max_entries, cilium/ebpf's key and value sizes
        bool perf = m.Type == BpfMapType.PerfEventArray;
        uint maxEntries = perf && m.MaxEntries == 0 ? (uint)KernelBpf.PossibleCpus : m.MaxEntries;
        uint keySize = perf && m.KeySize == 0 ? 4 : m.KeySize, valueSize = perf && m.ValueSize == 0 ? 4 : m.ValueSize;
        if (_btf > 0 && m.BtfValueTypeId != 0)
        {
            int fd = KernelBpf.MapCreate((uint)m.Type, keySize, valueSize, maxEntries, m.Flags, inner, m.NumaNode, m.MapExtra,
                _btf, m.BtfKeyTypeId, m.BtfValueTypeId);
            if (fd >= 0) return fd;
        }
        return KernelBpf.MapCreate((uint)m.Type, keySize, valueSize, maxEntries, m.Flags, inner, m.NumaNode, m.MapExtra);
    }

    /// <summary>
    /// Loads <paramref name="p"/> with the kernel's map fds: the fd, or -errno with the log. CO-RE relocations are
    /// resolved against <paramref name="coreTarget"/> (default: the object's own BTF), as our loader would.
    /// </summary>
    public int Load(ProgramSpec p, out string log, BpfSharp.Elf.Btf.BtfBlob? coreTarget = null)
    {
        Instruction[] insns = p.WithMapFds(name => _maps[name]);
        if (p.CoreRelocations.Count > 0)
            BpfSharp.Elf.Btf.CoreRelocator.Apply(insns, p.CoreRelocations, _spec.Btf!, coreTarget ?? _spec.Btf!);
        int fd = KernelBpf.ProgLoad((uint)p.Type, insns,
            new ProgLoadOptions(ExpectedAttachType: p.ExpectedAttachType, ProgFlags: p.Flags, License: p.License, BtfFd: _btf,
                FuncInfo: [.. p.FuncInfo.SelectMany(f => new[] { (uint)f.Instruction, f.TypeId })],
                LineInfo: [.. p.LineInfo.SelectMany(l => new[] { (uint)l.Instruction, l.FileNameOffset, l.LineOffset, l.Line << 10 | l.Column })]),
            out log);
        if (fd >= 0) _programs[p.Name] = fd;
        return fd;
    }

    /// <summary>Fills the program arrays' slots with the programs loaded so far.</summary>
    public void FillProgramSlots(CollectionSpec spec)
    {
        foreach (MapSpec m in spec.Maps.Values)
            if (m.Type == BpfMapType.ProgArray) FillSlots(m, _programs);
    }

    private void FillSlots(MapSpec m, Dictionary<string, int> targets)
    {
        var key = new byte[4];
        var value = new byte[4];
        foreach (MapSlot slot in m.Slots)
        {
            if (!targets.TryGetValue(slot.Target, out int fd)) continue;
            BinaryPrimitives.WriteUInt32LittleEndian(key, slot.Index);
            BinaryPrimitives.WriteInt32LittleEndian(value, fd);
            Check(KernelBpf.MapUpdate(_maps[m.Name], key, value), m.Name);
        }
    }

    private static int Check(int result, string what) =>
        result >= 0 ? result : throw new InvalidOperationException($"kernel refused map '{what}': {Errno.Name(-result)}");

    /// <summary>Closes every fd.</summary>
    public void Dispose()
    {
        foreach (int fd in _programs.Values) KernelBpf.Close(fd);
        foreach (int fd in _maps.Values) KernelBpf.Close(fd);
        if (_btf > 0) KernelBpf.Close(_btf);
        _programs.Clear();
        _maps.Clear();
    }
}
