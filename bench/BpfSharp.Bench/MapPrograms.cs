using BpfSharp.Isa;
using static BpfSharp.Isa.Opcodes;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Bench;

/// <summary>
/// The programs of the map benchmark: a bounded loop of <c>count</c> iterations over the benchmark's
/// key sequence (<see cref="Harness.Key"/>, from a random start), each calling bpf_map_lookup_elem (and
/// adding the value to r0) or bpf_map_update_elem. The baseline variant is the same loop with the
/// helper call replaced by <c>r0 = 0</c>, so that measured minus baseline is the cost of the calls.
/// The same instructions load into this system and into the live kernel.
/// </summary>
internal static class MapPrograms
{
    // Helper ids (enum bpf_func_id).
    private const int MapLookupElem = 1, MapUpdateElem = 2, GetPrandomU32 = 7;

    /// <summary>The loop; <paramref name="loadMap"/> puts the map in r1 (lddw of a map fd, or of a map handle).</summary>
    public static Instruction[] Loop(Func<AsmItem> loadMap, int count, uint mask, bool update, bool baseline)
    {
        var p = new List<AsmItem>
        {
            Asm.Call(GetPrandomU32),
            Asm.Mov64Reg(R6, R0),
            Asm.Mov64Imm(R7, 0),
            Asm.Mov64Imm(R8, 0),
            Asm.Label("loop"),
            Asm.Mov64Reg(R1, R6),
            Asm.Add64(R1, R7),
            Asm.Mul32(R1, unchecked((int)Harness.Golden)),
            Asm.And64(R1, (int)mask),
            Asm.StxMem(BPF_W, R10, R1, -4),
        };
        if (update) p.Add(Asm.StxMem(BPF_DW, R10, R7, -16));
        p.Add(loadMap());
        p.Add(Asm.Mov64Reg(R2, R10));
        p.Add(Asm.Add64(R2, -4));
        if (update)
        {
            p.Add(Asm.Mov64Reg(R3, R10));
            p.Add(Asm.Add64(R3, -16));
            p.Add(Asm.Mov64Imm(R4, 0)); // BPF_ANY
        }
        p.Add(baseline ? Asm.Mov64Imm(R0, 0) : Asm.Call(update ? MapUpdateElem : MapLookupElem));
        if (update)
        {
            p.Add(Asm.Add64(R8, R0));
        }
        else
        {
            p.Add(Asm.Jeq(R0, 0, "skip"));
            p.Add(Asm.LdxMem(BPF_DW, R1, R0, 0));
            p.Add(Asm.Add64(R8, R1));
            p.Add(Asm.Label("skip"));
        }
        p.Add(Asm.Add64(R7, 1));
        p.Add(Asm.Jlt(R7, count, "loop"));
        p.Add(Asm.Mov64Reg(R0, R8));
        p.Add(Asm.Exit());
        return Asm.Program([.. p]);
    }

    /// <summary>A program that stores the map pointer its lddw resolves to at ctx+0: how a host learns a map's handle.</summary>
    public static Instruction[] StoreMapPointer(int mapFd) => Asm.Program(
        Asm.LdMapFd(R2, mapFd),
        Asm.StxMem(BPF_DW, R1, R2, 0),
        Asm.Mov64Imm(R0, 0),
        Asm.Exit());
}
