using BpfSharp.Maps;
using BpfSharp.Uapi;

namespace BpfSharp.Verifier;

// kernel: record_func_map and record_func_key for bpf_tail_call, with insn_aux_data's map_ptr_state and
// map_key_state (BPF_MAP_KEY_SEEN, BPF_MAP_KEY_POISON): what every path through one call site passed.
public sealed partial class BpfVerifier
{
    /// <summary>BPF_MAP_KEY_POISON: the call site saw a key that is not one in-range constant.</summary>
    private const ulong MapKeyPoison = 1UL << 63;

    /// <summary>BPF_MAP_KEY_SEEN: the call site was reached at least once.</summary>
    private const ulong MapKeySeen = 1UL << 62;

    // kernel: insn_aux_data[].map_ptr_state (the map, and whether another map was seen) and map_key_state
    private MapAttributes?[]? _tailCallMap;
    private bool[]? _tailCallMapPoison;
    private bool[]? _tailCallMapUnpriv;
    private ulong[]? _tailCallKey;

    // kernel: record_func_map for bpf_tail_call: the first prog array a call site sees, poisoned by a second one;
    // unprivileged (BPF_MAP_PTR_UNPRIV) once any of them was created without the Spectre v1 bypass
    private void RecordTailCallMap(MapAttributes map)
    {
        _tailCallMap ??= new MapAttributes?[_insns.Length];
        _tailCallMapPoison ??= new bool[_insns.Length];
        _tailCallMapUnpriv ??= new bool[_insns.Length];
        MapAttributes? seen = _tailCallMap[_insnIdx];
        if (seen is not null && !ReferenceEquals(seen, map))
            _tailCallMapPoison[_insnIdx] = true;
        _tailCallMap[_insnIdx] = map;
        _tailCallMapUnpriv[_insnIdx] |= !map.BypassSpecV1;
    }

    // kernel: do_misc_fixups for bpf_tail_call: an unprivileged call site gets its index checked and masked against
    // its one prog array, which a call site that saw two arrays cannot have
    private void CheckTailCallFixups()
    {
        if (_tailCallMapUnpriv is null || _tailCallMapPoison is null)
            return;
        for (int i = 0; i < _insns.Length; i++)
        {
            if (_tailCallMapUnpriv[i] && _tailCallMapPoison[i])
                throw Fail(-Errno.EINVAL, "tail_call abusing map_ptr");
        }
    }

    // kernel: record_func_key: a key that is a constant below max_entries is recorded (and its chain marked precise,
    // since a direct jump would depend on it); any other key, or a second constant, poisons the call site
    private void RecordTailCallKey(MapAttributes? map)
    {
        if (map is not { Type: BpfMapType.ProgArray })
            throw Fail(-Errno.EINVAL, "kernel subsystem misconfigured verifier");
        _tailCallKey ??= new ulong[_insns.Length];
        ref ulong state = ref _tailCallKey[_insnIdx];
        RegState key = Regs[3];
        ulong val = key.Bounds.VarOff.Value;
        if (!(key.Type == RegType.ScalarValue && key.Bounds.VarOff.IsConst && val < map.MaxEntries))
        {
            StoreMapKey(ref state, MapKeyPoison);
            return;
        }
        MarkChainPrecision(3);
        if ((state & MapKeySeen) == 0)
            StoreMapKey(ref state, val);
        else if ((state & MapKeyPoison) == 0 && (state & ~(MapKeySeen | MapKeyPoison)) != val)
            StoreMapKey(ref state, MapKeyPoison);
    }

    // kernel: bpf_map_key_store: a poisoned state stays poisoned
    private static void StoreMapKey(ref ulong state, ulong value) =>
        state = value | MapKeySeen | (state & MapKeyPoison);

    /// <summary>
    /// The slot every path through the bpf_tail_call at <paramref name="insnIdx"/> used with one and the same prog
    /// array, or -1 when the key varies, is not a constant in range, another map was seen there, or the call was
    /// never reached (kernel: bpf_map_key_immediate of an unpoisoned map_key_state, the poke descriptor's key).
    /// </summary>
    internal long TailCallConstantKey(int insnIdx)
    {
        if (_tailCallKey is null || _tailCallMapPoison is null || _tailCallMapPoison[insnIdx])
            return -1;
        ulong state = _tailCallKey[insnIdx];
        if ((state & MapKeySeen) == 0 || (state & MapKeyPoison) != 0)
            return -1;
        return (long)(state & ~(MapKeySeen | MapKeyPoison));
    }

    // A bpf_tail_call in a subprogram (or callback) frame: the taken call replaces only that frame, so the path forks.
    // The call that fails goes on with the next instruction (a pending branch); the one that is taken runs the target
    // program, whose unknown r0 returns to the caller as if the subprogram had exited here, and which may have changed
    // the packet.
    private void TailCallFromSubprog()
    {
        PushBranch(_insnIdx + 1, _insnIdx);
        // the target may have moved the packet: every packet pointer of every frame is stale
        ForEachReg(_cur, (ref RegState reg) =>
        {
            if (reg.Type.IsPktPointer()) MarkRegInvalid(ref reg);
        });
        MarkRegUnknown(ref Regs[0]);
        PrepareFuncExit();
    }
}
