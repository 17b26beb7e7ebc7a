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
/// bpf_map_* helpers (bpf-helpers(7)): lookup returns the value's address or NULL, update/delete/push/pop/peek
/// return the map's 0 / -errno; pointers are checked in checked mode and a looked-up value is accessible.
/// </summary>
public class MapHelperTests
{
    public static TheoryData<string, bool> EnginesAndModes => EngineMatrix.EnginesAndModes();
    public static TheoryData<string> Engines => EngineMatrix.Engines();

    // r0 = bpf_map_lookup_elem(map, &key) with key at r10-4
    private static AsmItem[] LookupKey(Map map, int key) =>
    [
        StMem(BPF_W, R10, -4, key),
        LdImm64(R1, HandleOf(map)),
        Mov64(R2, R10), Add64(R2, -4),
        Call(1),
    ];

    // r0 = bpf_map_update_elem(map, &key, &value, flags) with key at r10-4, value at r10-16
    private static AsmItem[] UpdateKey(Map map, int key, int value, int flags) =>
    [
        StMem(BPF_W, R10, -4, key),
        StMem(BPF_DW, R10, -16, value),
        LdImm64(R1, HandleOf(map)),
        Mov64(R2, R10), Add64(R2, -4),
        Mov64(R3, R10), Add64(R3, -16),
        Mov64(R4, flags),
        Call(2),
    ];

    [Theory]
    [MemberData(nameof(EnginesAndModes))]
    public void Update_then_lookup_reads_the_value_through_the_returned_pointer(string engine, bool isChecked)
    {
        using var h = new HelperHarness();
        var map = h.Add(new TestArrayMap(h.MapContext, 8, 4));
        ulong r0 = h.Run(engine, isChecked, Program([
            .. UpdateKey(map, 2, 0x1234, 0), Jne(R0, 0, "fail"),
            .. LookupKey(map, 2), Jeq(R0, 0, "fail"),
            LdxMem(BPF_DW, R0, R0, 0), Exit(),
            Label("fail"), Mov64(R0, -1), Exit()]));
        Assert.Equal(0x1234ul, r0);
        Assert.Equal(0x1234ul, BitConverter.ToUInt64(map.Value(2)));
    }

    [Theory]
    [MemberData(nameof(EnginesAndModes))]
    public void Lookup_of_a_missing_key_returns_null(string engine, bool isChecked)
    {
        using var h = new HelperHarness();
        var map = h.Add(new TestArrayMap(h.MapContext, 8, 4));
        Assert.Equal(0ul, h.Run(engine, isChecked, Program([.. LookupKey(map, 4), Exit()])));
    }

    [Theory]
    [MemberData(nameof(EnginesAndModes))]
    public void Stores_through_the_returned_pointer_change_the_element(string engine, bool isChecked)
    {
        using var h = new HelperHarness();
        var map = h.Add(new TestArrayMap(h.MapContext, 8, 4));
        h.Run(engine, isChecked, Program([.. LookupKey(map, 1), Jeq(R0, 0, "out"), StMem(BPF_DW, R0, 0, 77), Label("out"), Exit()]));
        Assert.Equal(77ul, BitConverter.ToUInt64(map.Value(1)));
    }

    // The array map's own rules (kernel arraymap.c), passed through by the helper as a 64-bit -errno.
    public static readonly TheoryData<string, int, int, int> UpdateResults = new()
    {
        { "update in range", 3, (int)MapFlags.BPF_ANY, 0 },
        { "update past max_entries is E2BIG", 4, (int)MapFlags.BPF_ANY, -Errno.E2BIG },
        { "update with NOEXIST on an array is EEXIST", 0, (int)MapFlags.BPF_NOEXIST, -Errno.EEXIST },
        { "update with unknown flags is EINVAL", 0, 8, -Errno.EINVAL },
    };

    [Theory]
    [MemberData(nameof(UpdateResults))]
    public void Update_returns_the_maps_result(string name, int key, int flags, int expected)
    {
        _ = name;
        using var h = new HelperHarness();
        var map = h.Add(new TestArrayMap(h.MapContext, 8, 4));
        ulong r0 = h.Run(EngineMatrix.All[0].Name, true, Program([.. UpdateKey(map, key, 5, flags), Exit()]));
        Assert.Equal((ulong)(long)expected, r0);
    }

    [Theory]
    [MemberData(nameof(EnginesAndModes))]
    public void Delete_on_an_array_is_EINVAL(string engine, bool isChecked)
    {
        using var h = new HelperHarness();
        var map = h.Add(new TestArrayMap(h.MapContext, 8, 4));
        ulong r0 = h.Run(engine, isChecked, Program(
            StMem(BPF_W, R10, -4, 0), LdImm64(R1, HandleOf(map)), Mov64(R2, R10), Add64(R2, -4), Call(3), Exit()));
        Assert.Equal(unchecked((ulong)-Errno.EINVAL), r0);
    }

    [Theory]
    [MemberData(nameof(EnginesAndModes))]
    public void Queue_push_peek_pop_are_first_in_first_out(string engine, bool isChecked)
    {
        using var h = new HelperHarness();
        var queue = h.Add(new TestQueueMap(h.MapContext, 8, 2));
        // push 11, push 22, push 33 (full: E2BIG), peek -> 11, pop -> 11, pop -> 22, pop -> ENOENT
        ulong r0 = h.Run(engine, isChecked, Program(
            StMem(BPF_DW, R10, -8, 11), LdImm64(R1, HandleOf(queue)), Mov64(R2, R10), Add64(R2, -8), Mov64(R3, 0), Call(87), Jne(R0, 0, "fail"),
            StMem(BPF_DW, R10, -8, 22), LdImm64(R1, HandleOf(queue)), Mov64(R2, R10), Add64(R2, -8), Mov64(R3, 0), Call(87), Jne(R0, 0, "fail"),
            StMem(BPF_DW, R10, -8, 33), LdImm64(R1, HandleOf(queue)), Mov64(R2, R10), Add64(R2, -8), Mov64(R3, 0), Call(87), Jne(R0, -Errno.E2BIG, "fail"),
            LdImm64(R1, HandleOf(queue)), Mov64(R2, R10), Add64(R2, -16), Call(89), Jne(R0, 0, "fail"),
            LdxMem(BPF_DW, R6, R10, -16), Jne(R6, 11, "fail"),
            LdImm64(R1, HandleOf(queue)), Mov64(R2, R10), Add64(R2, -16), Call(88), LdxMem(BPF_DW, R6, R10, -16), Jne(R6, 11, "fail"),
            LdImm64(R1, HandleOf(queue)), Mov64(R2, R10), Add64(R2, -16), Call(88), LdxMem(BPF_DW, R6, R10, -16), Jne(R6, 22, "fail"),
            LdImm64(R1, HandleOf(queue)), Mov64(R2, R10), Add64(R2, -16), Call(88), Jne(R0, -Errno.ENOENT, "fail"),
            Mov64(R0, 1), Exit(),
            Label("fail"), Mov64(R0, 0), Exit()));
        Assert.Equal(1ul, r0);
    }

    [Theory]
    [MemberData(nameof(EnginesAndModes))]
    public void Per_cpu_lookup_uses_the_runs_cpu(string engine, bool isChecked)
    {
        using var h = new HelperHarness(possibleCpus: 4);
        var map = h.Add(new TestArrayMap(h.MapContext, 8, 2, perCpu: true));
        for (int cpu = 0; cpu < 4; cpu++)
            BitConverter.TryWriteBytes(map.Value(1, cpu), 100ul + (ulong)cpu);
        var run = h.Load(engine, isChecked, Program([.. LookupKey(map, 1), LdxMem(BPF_DW, R0, R0, 0), Exit()]));
        var ctx = h.NewContext();
        ctx.Cpu = 2;
        Assert.Equal(102ul, run(ctx));
        ctx.Cpu = 3;
        Assert.Equal(103ul, run(ctx));
    }

    [Theory]
    [InlineData(0, 100ul)]
    [InlineData(3, 103ul)]
    [InlineData(4, 0ul)] // cpu >= possible CPUs: NULL
    public void Lookup_percpu_elem_reads_the_named_cpu(int cpu, ulong expected)
    {
        using var h = new HelperHarness(possibleCpus: 4);
        var map = h.Add(new TestArrayMap(h.MapContext, 8, 2, perCpu: true));
        for (int c = 0; c < 4; c++)
            BitConverter.TryWriteBytes(map.Value(0, c), 100ul + (ulong)c);
        ulong r0 = h.Run(EngineMatrix.All[0].Name, true, Program(
            StMem(BPF_W, R10, -4, 0), LdImm64(R1, HandleOf(map)), Mov64(R2, R10), Add64(R2, -4), Mov64(R3, cpu), Call(195),
            Jeq(R0, 0, "null"), LdxMem(BPF_DW, R0, R0, 0), Label("null"), Exit()));
        Assert.Equal(expected, r0);
    }

    [Theory]
    [MemberData(nameof(EnginesAndModes))]
    public void Earlier_lookups_stay_accessible_for_the_whole_run(string engine, bool isChecked)
    {
        using var h = new HelperHarness();
        var map = h.Add(new TestArrayMap(h.MapContext, 8, 4));
        BitConverter.TryWriteBytes(map.Value(0), 5ul);
        BitConverter.TryWriteBytes(map.Value(3), 7ul);
        ulong r0 = h.Run(engine, isChecked, Program([
            .. LookupKey(map, 0), Mov64(R6, R0),
            .. LookupKey(map, 3), Mov64(R7, R0),
            .. LookupKey(map, 0), // again: no second region, same pointer
            LdxMem(BPF_DW, R0, R6, 0), LdxMem(BPF_DW, R1, R7, 0), Add64(R0, R1), Exit()]));
        Assert.Equal(12ul, r0);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Checked_store_into_a_read_only_map_value_faults(string engine)
    {
        using var h = new HelperHarness();
        var map = h.Add(new TestArrayMap(h.MapContext, 8, 4, flags: MapFlags.BPF_F_RDONLY_PROG));
        var ex = Assert.Throws<BpfRuntimeException>(() => h.Run(engine, true, Program([.. LookupKey(map, 0), StMem(BPF_DW, R0, 0, 1), Exit()])));
        Assert.Equal(FaultKind.ReadOnly, ex.Kind);
        Assert.Contains("map_value", ex.Message);
    }

    [Theory]
    [MemberData(nameof(EnginesAndModes))]
    public void A_value_that_is_no_map_handle_faults(string engine, bool isChecked)
    {
        using var h = new HelperHarness();
        var ex = Assert.Throws<BpfRuntimeException>(() => h.Run(engine, isChecked, Program(
            StMem(BPF_W, R10, -4, 0), Mov64(R1, 1234), Mov64(R2, R10), Add64(R2, -4), Call(1), Exit())));
        Assert.Equal(FaultKind.InvalidHelperArgument, ex.Kind);
        Assert.Equal("insn 4: helper call: 0x4d2 is not a map", ex.Message);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Checked_key_pointer_outside_the_run_faults(string engine)
    {
        using var h = new HelperHarness();
        var map = h.Add(new TestArrayMap(h.MapContext, 8, 4));
        var ex = Assert.Throws<BpfRuntimeException>(() => h.Run(engine, true, Program(
            LdImm64(R1, HandleOf(map)), Mov64(R2, 16), Call(1), Exit())));
        Assert.Equal(FaultKind.OutOfBounds, ex.Kind);
        Assert.StartsWith("insn 3: helper call: out-of-bounds load of 4 bytes at 0x10", ex.Message);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Checked_update_value_pointer_past_the_stack_faults(string engine)
    {
        using var h = new HelperHarness();
        var map = h.Add(new TestArrayMap(h.MapContext, 16, 4));
        // the 16-byte value would start 8 bytes below r10: its upper half lies above the frame
        var ex = Assert.Throws<BpfRuntimeException>(() => h.Run(engine, true, Program(
            StMem(BPF_W, R10, -4, 0), LdImm64(R1, HandleOf(map)), Mov64(R2, R10), Add64(R2, -4),
            Mov64(R3, R10), Add64(R3, -8), Mov64(R4, 0), Call(2), Exit())));
        Assert.Equal(FaultKind.OutOfBounds, ex.Kind);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Checked_pop_into_read_only_memory_faults(string engine)
    {
        using var h = new HelperHarness();
        var queue = h.Add(new TestQueueMap(h.MapContext, 8, 2));
        var program = h.Load(engine, true, Program(Mov64(R6, R1), LdImm64(R1, HandleOf(queue)), Mov64(R2, R6), Call(88), Exit()));
        var ctx = new RunContext { Maps = h.Maps, R1 = (ulong)h.Memory.Pointer };
        ctx.AddRegion(h.Memory.ToRegion(writable: false, "ro"));
        var ex = Assert.Throws<BpfRuntimeException>(() => program(ctx));
        Assert.Equal(FaultKind.ReadOnly, ex.Kind);
    }

    [Fact]
    public void Without_a_map_registry_map_helpers_fault()
    {
        using var h = new HelperHarness();
        var map = h.Add(new TestArrayMap(h.MapContext, 8, 4));
        var run = h.Load(EngineMatrix.All[0].Name, false, Program([.. LookupKey(map, 0), Exit()]));
        var ctx = h.NewContext();
        ctx.Maps = null;
        var ex = Assert.Throws<BpfRuntimeException>(() => run(ctx));
        Assert.Equal(FaultKind.InvalidHelperArgument, ex.Kind);
        Assert.Contains("no map registry", ex.Message);
    }
}
