using BpfSharp.Isa;
using BpfSharp.Maps;
using BpfSharp.Runtime;
using BpfSharp.Tests.Runtime.Engines;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Asm;
using static BpfSharp.Isa.Opcodes;
using static BpfSharp.Isa.Reg;
using static BpfSharp.Tests.Runtime.Helpers.HelperHarness;

namespace BpfSharp.Tests.Runtime.Helpers;

/// <summary>
/// bpf_for_each_map_elem (bpf-helpers(7)): callback_fn(map, key, value, ctx) for each element, 0 continues,
/// 1 stops; returns the number of elements visited; flags must be 0.
/// </summary>
public class ForEachMapElemTests
{
    public static TheoryData<string, bool> EnginesAndModes => EngineMatrix.EnginesAndModes();
    public static TheoryData<string> Engines => EngineMatrix.Engines();

    private const int ForEach = 164;

    // r0 = bpf_for_each_map_elem(map, cb, &ctx at r10-8, flags); returns r0 * 1000 + ctx (ctx starts at 0)
    private static Instruction[] ForEachProgram(Map map, int flags, params AsmItem[] callback) => Program([
        StMem(BPF_DW, R10, -8, 0),
        LdImm64(R1, HandleOf(map)), LdFunc(R2, "cb"), Mov64(R3, R10), Add64(R3, -8), Mov64(R4, flags),
        Call(ForEach),
        LdxMem(BPF_DW, R1, R10, -8), Mul64(R0, 1000), Add64(R0, R1), Exit(),
        Label("cb"), .. callback]);

    private static TestArrayMap Values(HelperHarness h, params ulong[] values)
    {
        var map = h.Add(new TestArrayMap(h.MapContext, 8, (uint)values.Length));
        for (uint k = 0; k < values.Length; k++)
            BitConverter.TryWriteBytes(map.Value(k), values[k]);
        return map;
    }

    [Theory]
    [MemberData(nameof(EnginesAndModes))]
    public void Visits_every_element_in_key_order(string engine, bool isChecked)
    {
        using var h = new HelperHarness();
        var map = Values(h, 1, 2, 3, 4);
        // ctx = ctx * 10 + *value: the order shows in the digits
        ulong r0 = h.Run(engine, isChecked, ForEachProgram(map, 0,
            LdxMem(BPF_DW, R1, R4, 0), Mul64(R1, 10), LdxMem(BPF_DW, R2, R3, 0), Add64(R1, R2), StxMem(BPF_DW, R4, R1, 0), Mov64(R0, 0), Exit()));
        Assert.Equal(4ul * 1000 + 1234, r0);
    }

    [Theory]
    [MemberData(nameof(EnginesAndModes))]
    public void Stops_when_the_callback_returns_1_counting_that_element(string engine, bool isChecked)
    {
        using var h = new HelperHarness();
        var map = Values(h, 1, 2, 3, 4);
        // return *key == 1
        ulong r0 = h.Run(engine, isChecked, ForEachProgram(map, 0,
            LdxMem(BPF_W, R1, R2, 0), Mov64(R0, 0), Jne(R1, 1, "go"), Mov64(R0, 1), Label("go"), Exit()));
        Assert.Equal(2ul * 1000, r0);
    }

    [Theory]
    [MemberData(nameof(EnginesAndModes))]
    public void The_callback_gets_the_map_and_writes_values_in_place(string engine, bool isChecked)
    {
        using var h = new HelperHarness();
        var map = Values(h, 1, 2, 3);
        ulong handle = (ulong)map.Handle;
        // *value *= 2; ctx += (r1 == map)
        ulong r0 = h.Run(engine, isChecked, ForEachProgram(map, 0,
            LdxMem(BPF_DW, R0, R3, 0), Mul64(R0, 2), StxMem(BPF_DW, R3, R0, 0),
            LdImm64(R5, (long)handle), Jne(R1, R5, "skip"), LdxMem(BPF_DW, R0, R4, 0), Add64(R0, 1), StxMem(BPF_DW, R4, R0, 0),
            Label("skip"), Mov64(R0, 0), Exit()));
        Assert.Equal(3ul * 1000 + 3, r0);
        Assert.Equal([2ul, 4ul, 6ul], new[] { BitConverter.ToUInt64(map.Value(0)), BitConverter.ToUInt64(map.Value(1)), BitConverter.ToUInt64(map.Value(2)) });
    }

    [Theory]
    [MemberData(nameof(EnginesAndModes))]
    public void Non_zero_flags_is_EINVAL(string engine, bool isChecked)
    {
        using var h = new HelperHarness();
        var map = Values(h, 1);
        Assert.Equal(unchecked((ulong)(-Errno.EINVAL * 1000L)), h.Run(engine, isChecked, ForEachProgram(map, 1, Mov64(R0, 0), Exit())));
    }

    [Theory]
    [MemberData(nameof(EnginesAndModes))]
    public void Per_cpu_maps_give_the_running_cpus_values(string engine, bool isChecked)
    {
        using var h = new HelperHarness(possibleCpus: 2);
        var map = h.Add(new TestArrayMap(h.MapContext, 8, 2, perCpu: true));
        BitConverter.TryWriteBytes(map.Value(0, 0), 1ul);
        BitConverter.TryWriteBytes(map.Value(1, 0), 2ul);
        BitConverter.TryWriteBytes(map.Value(0, 1), 30ul);
        BitConverter.TryWriteBytes(map.Value(1, 1), 40ul);
        var run = h.Load(engine, isChecked, ForEachProgram(map, 0,
            LdxMem(BPF_DW, R1, R4, 0), LdxMem(BPF_DW, R2, R3, 0), Add64(R1, R2), StxMem(BPF_DW, R4, R1, 0), Mov64(R0, 0), Exit()));
        var ctx = h.NewContext();
        ctx.Cpu = 1;
        Assert.Equal(2ul * 1000 + 70, run(ctx));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Checked_the_key_is_read_only(string engine)
    {
        using var h = new HelperHarness();
        var map = Values(h, 1);
        var ex = Assert.Throws<BpfRuntimeException>(() => h.Run(engine, true, ForEachProgram(map, 0, StMem(BPF_W, R2, 0, 9), Mov64(R0, 0), Exit())));
        Assert.Equal(FaultKind.ReadOnly, ex.Kind);
        Assert.Contains("for_each key", ex.Message);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void The_key_is_not_accessible_after_the_helper_returns(string engine)
    {
        using var h = new HelperHarness();
        var map = Values(h, 1);
        // the callback saves the key pointer in ctx; reading it after bpf_for_each_map_elem returned faults
        Instruction[] program = Program(
            StMem(BPF_DW, R10, -8, 0),
            LdImm64(R1, HandleOf(map)), LdFunc(R2, "cb"), Mov64(R3, R10), Add64(R3, -8), Mov64(R4, 0), Call(ForEach),
            LdxMem(BPF_DW, R1, R10, -8), LdxMem(BPF_W, R0, R1, 0), Exit(),
            Label("cb"), StxMem(BPF_DW, R4, R2, 0), Mov64(R0, 0), Exit());
        var ex = Assert.Throws<BpfRuntimeException>(() => h.Run(engine, true, program));
        Assert.Equal(FaultKind.OutOfBounds, ex.Kind);
    }
}
