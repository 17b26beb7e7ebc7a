using BpfSharp.Isa;
using BpfSharp.Maps;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Opcodes;

namespace BpfSharp.Syscall;

/// <summary>
/// kernel: resolve_pseudo_ldimm64 and convert_pseudo_ld_imm64. Replaces every map lddw of a
/// validated program with a plain lddw of an address: BPF_PSEUDO_MAP_FD / BPF_PSEUDO_MAP_IDX
/// load the map's handle, BPF_PSEUDO_MAP_VALUE / BPF_PSEUDO_MAP_IDX_VALUE the address of its
/// value plus an offset. The *_IDX forms take the fd from fd_array. Each map is referenced once,
/// for as long as the program lives. BPF_PSEUDO_FUNC stays for the engines; BPF_PSEUDO_BTF_ID
/// (kernel symbols) is not supported.
/// </summary>
internal sealed unsafe class PseudoResolver
{
    /// <summary>MAX_USED_MAPS: the most maps one program may use.</summary>
    public const int MaxUsedMaps = 64;
    /// <summary>BPF_MAX_VAR_OFF: the offsets a direct value load may have are below this.</summary>
    public const uint MaxVarOff = 1u << 29;

    /// <summary>Turns a fd into a map with a new reference: 0, -EBADF or -EINVAL.</summary>
    public delegate int MapLookup(int fd, out Map? map);

    private readonly MapLookup _lookup;
    private readonly ulong _fdArray;
    private readonly bool _sleepable;

    /// <summary>
    /// Resolves through <paramref name="lookup"/>; <paramref name="fdArray"/> is the caller's fd_array address or 0;
    /// a <paramref name="sleepable"/> program may use only some map types (kernel: check_map_prog_compatibility).
    /// </summary>
    public PseudoResolver(MapLookup lookup, ulong fdArray, bool sleepable = false)
    {
        _lookup = lookup;
        _fdArray = fdArray;
        _sleepable = sleepable;
    }

    /// <summary>The maps used, each holding one reference that now belongs to the program.</summary>
    public List<Map> UsedMaps { get; } = [];

    /// <summary>Where each map lddw was.</summary>
    public List<MapLoad> Loads { get; } = [];

    /// <summary>The kernel's log line for the failure, if any.</summary>
    public string? Message { get; private set; }

    /// <summary>
    /// Rewrites <paramref name="program"/> in place. 0, or -errno with <see cref="Message"/> set;
    /// on failure the references taken are released.
    /// </summary>
    public int Resolve(Span<Instruction> program)
    {
        int err = ResolveAll(program);
        if (err < 0)
        {
            foreach (Map map in UsedMaps) map.Release();
            UsedMaps.Clear();
            Loads.Clear();
        }
        return err;
    }

    private int ResolveAll(Span<Instruction> program)
    {
        for (int i = 0; i < program.Length; i++)
        {
            Instruction insn = program[i];
            if (!insn.IsLdImm64) continue;
            int err = ResolveOne(program, i);
            if (err < 0) return err;
            i++;
        }
        return 0;
    }

    private int ResolveOne(Span<Instruction> program, int i)
    {
        Instruction insn = program[i], next = program[i + 1];
        if (!Verifier.Cfg.IsRecognizedLdImm64(insn, next))
            return Fail(-Errno.EINVAL, "unrecognized bpf_ld_imm64 insn");
        switch (insn.Src)
        {
            case 0:
            case BPF_PSEUDO_FUNC:
                return 0;
            case BPF_PSEUDO_BTF_ID:
                return Fail(-Errno.EINVAL, "kernel is missing BTF, make sure CONFIG_DEBUG_INFO_BTF=y is specified in Kconfig.");
        }

        int fd = insn.Imm;
        if (insn.Src is BPF_PSEUDO_MAP_IDX or BPF_PSEUDO_MAP_IDX_VALUE)
        {
            if (_fdArray == 0)
                return Fail(-Errno.EPROTO, "fd_idx without fd_array is invalid");
            if (insn.Imm < 0) return -Errno.EFAULT; // the index lies before the array
            fd = *(int*)(_fdArray + (ulong)insn.Imm * sizeof(int));
        }
        int err = _lookup(fd, out Map? map);
        if (err < 0)
            return Fail(err, $"fd {insn.Imm} is not pointing to valid bpf_map");
        if (_sleepable && !SleepableMayUse(map!.Type))
            return Drop(map!, Fail(-Errno.EINVAL, "Sleepable programs can only use array, hash, ringbuf and local storage maps"));

        ulong address;
        uint offset = 0;
        bool direct = insn.Src is BPF_PSEUDO_MAP_VALUE or BPF_PSEUDO_MAP_IDX_VALUE;
        if (!direct)
        {
            address = (ulong)map!.Handle;
        }
        else
        {
            offset = (uint)next.Imm;
            if (offset >= MaxVarOff)
                return Drop(map!, Fail(-Errno.EINVAL, $"direct value offset of {offset} is not allowed"));
            if (map is not IDirectValueMap directMap)
                return Drop(map!, Fail(-Errno.EINVAL, "no direct value access support for this map type"));
            err = directMap.DirectValueAddress(offset, out nint value);
            if (err < 0)
                return Drop(map, Fail(err, $"invalid access to map value pointer, value_size={map.ValueSize} off={offset}"));
            address = (ulong)value + offset;
        }

        int index = UsedMaps.IndexOf(map!);
        if (index >= 0)
        {
            map!.Release(); // already held once
        }
        else
        {
            if (UsedMaps.Count >= MaxUsedMaps)
                return Drop(map!, -Errno.E2BIG);
            UsedMaps.Add(map!);
        }
        Loads.Add(new MapLoad(i, map!, direct ? BPF_PSEUDO_MAP_VALUE : BPF_PSEUDO_MAP_FD, offset));
        // convert_pseudo_ld_imm64: from here on a plain 64-bit immediate load.
        program[i] = new Instruction(insn.Opcode, insn.Dst, 0, insn.Offset, (int)(uint)address);
        program[i + 1] = Instruction.FromRaw(address & 0xffff_ffff_0000_0000);
        return 0;
    }

    // kernel: check_map_prog_compatibility, the map types a sleepable program may use
    private static bool SleepableMayUse(BpfMapType type) => type is BpfMapType.Hash or BpfMapType.LruHash or BpfMapType.Array
        or BpfMapType.PercpuHash or BpfMapType.PercpuArray or BpfMapType.LruPercpuHash or BpfMapType.ArrayOfMaps
        or BpfMapType.HashOfMaps or BpfMapType.Ringbuf or BpfMapType.UserRingbuf or BpfMapType.InodeStorage
        or BpfMapType.SkStorage or BpfMapType.TaskStorage or BpfMapType.CgrpStorage or BpfMapType.Queue
        or BpfMapType.Stack or BpfMapType.Arena;

    private int Fail(int err, string message)
    {
        Message = message;
        return err;
    }

    private static int Drop(Map map, int err)
    {
        map.Release();
        return err;
    }
}
