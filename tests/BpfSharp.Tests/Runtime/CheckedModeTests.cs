using System.Text.RegularExpressions;
using BpfSharp.Isa;
using BpfSharp.Memory;
using BpfSharp.Runtime;
using BpfSharp.Tests.Runtime.Engines;
using static BpfSharp.Isa.Asm;
using static BpfSharp.Isa.Opcodes;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Runtime;

/// <summary>
/// Checked mode: every access outside the run's regions, every store into read-only memory, an
/// exhausted budget, falling off the end end the run with a <see cref="BpfRuntimeException"/>
/// naming the instruction, never a crash. Caller memory is 8 bytes at r1.
/// </summary>
public class CheckedModeTests
{
    public sealed record FaultCase(string Name, Instruction[] Program, FaultKind Kind, int Insn, RunSetup Setup);

    private static readonly byte[] Mem8 = new byte[8];
    private static RunSetup Rw => new() { Memory = Mem8 };
    private static RunSetup Ro => new() { Memory = Mem8, MemoryWritable = false };

    private static FaultCase F(string name, FaultKind kind, int insn, RunSetup setup, params AsmItem[] body) =>
        new(name, Program(body), kind, insn, setup);

    public static readonly FaultCase[] All =
    [
        F("ldxdw one byte past caller memory", FaultKind.OutOfBounds, 0, Rw, LdxMem(BPF_DW, R0, R1, 1), Exit()),
        F("ldxb one byte before caller memory", FaultKind.OutOfBounds, 0, Rw, LdxMem(BPF_B, R0, R1, -1), Exit()),
        F("stxdw at the stack top", FaultKind.OutOfBounds, 0, Rw, StxMem(BPF_DW, R10, R1, 0), Exit()),
        F("stdw straddling the stack top", FaultKind.OutOfBounds, 0, Rw, StMem(BPF_DW, R10, -4, 1), Exit()),
        F("stb below frame 0", FaultKind.OutOfBounds, 0, Rw, StMem(BPF_B, R10, -513, 1), Exit()),
        F("ldxdw through a null pointer", FaultKind.OutOfBounds, 1, Rw, Mov64(R2, 0), LdxMem(BPF_DW, R0, R2, 0), Exit()),
        F("ldxh at the top of the address space does not wrap", FaultKind.OutOfBounds, 2, Rw, LdImm64(R2, -1), LdxMem(BPF_H, R0, R2, 0), Exit()),
        F("ldxsw past caller memory", FaultKind.OutOfBounds, 0, Rw, LdxMemSx(BPF_W, R0, R1, 6), Exit()),
        F("stw into read-only memory", FaultKind.ReadOnly, 0, Ro, StMem(BPF_W, R1, 0, 1), Exit()),
        F("stxb into the packet", FaultKind.ReadOnly, 0,
            Rw with { Packet = new byte[4], Configure = run => run.R3 = (ulong)run.Packet!.Value.Start },
            StxMem(BPF_B, R3, R1, 0), Exit()),
        F("atomic add into read-only memory", FaultKind.ReadOnly, 1, Ro, Mov64(R2, 1), AtomicOp(BPF_DW, BPF_ADD, R1, R2, 0), Exit()),
        F("atomic past caller memory", FaultKind.OutOfBounds, 1, Rw, Mov64(R2, 1), AtomicOp(BPF_W, BPF_ADD | BPF_FETCH, R1, R2, 8), Exit()),
        F("misaligned atomic", FaultKind.MisalignedAtomic, 1, Rw, Mov64(R2, 1), AtomicOp(BPF_W, BPF_XCHG, R1, R2, 1), Exit()),
        F("store_release into read-only memory", FaultKind.ReadOnly, 1, Ro, Mov64(R2, 1), AtomicOp(BPF_H, BPF_STORE_REL, R1, R2, 0), Exit()),
        F("load_acquire past caller memory", FaultKind.OutOfBounds, 0, Rw, AtomicOp(BPF_DW, BPF_LOAD_ACQ, R0, R1, 8), Exit()),
        F("misaligned load_acquire", FaultKind.MisalignedAtomic, 0, Rw, AtomicOp(BPF_W, BPF_LOAD_ACQ, R0, R1, 2), Exit()),
        F("misaligned store_release on the stack", FaultKind.MisalignedAtomic, 1, Rw, Mov64(R0, 1), AtomicOp(BPF_H, BPF_STORE_REL, R10, R0, -7), Exit()),
        F("misaligned atomic on the stack", FaultKind.MisalignedAtomic, 1, Rw, Mov64(R0, 1), AtomicOp(BPF_DW, BPF_CMPXCHG, R10, R0, -12), Exit()),
        F("the frame of a returned callee", FaultKind.OutOfBounds, 1, Rw,
            CallRel("f"), LdxMem(BPF_DW, R0, R0, 0), Exit(),
            Label("f"), Mov64(R0, R10), Add64(R0, -8), Exit()),
        F("an infinite loop exhausts the budget", FaultKind.BudgetExhausted, 0, Rw with { Budget = 1000 }, Ja(-1), Exit()),
        F("falling off the end", FaultKind.FellOffEnd, 1, Rw, Mov64(R0, 1)),
        F("falling off the end after lddw", FaultKind.FellOffEnd, 2, Rw, LdImm64(R0, 1)),
        F("a helper probing past caller memory", FaultKind.OutOfBounds, 1, Rw with { Helpers = TestHelpers.Registry() },
            Mov64(R2, 9), Call(TestHelpers.ProbeRead), Exit()),
        F("a helper probing a callee frame from the caller", FaultKind.OutOfBounds, 4, Rw with { Helpers = TestHelpers.Registry() },
            CallRel("f"), Mov64(R1, R0), Mov64(R2, 8), Mov64(R0, 0), Call(TestHelpers.ProbeRead), Exit(),
            Label("f"), Mov64(R0, R10), Add64(R0, -8), Exit()),
    ];

    private static readonly Dictionary<string, FaultCase> Cases = EngineMatrix.Index(All, c => c.Name);

    public static TheoryData<string, string> Rows => EngineMatrix.CheckedRows(Cases.Keys);

    public static TheoryData<string> Engines => EngineMatrix.Engines();

    public static TheoryData<string, bool> EnginesAndModes => EngineMatrix.EnginesAndModes();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Faults_name_the_instruction(string engine, string name)
    {
        FaultCase c = Cases[name];
        var ex = Assert.Throws<BpfRuntimeException>(() => ProgramRunner.Run(engine, c.Program, c.Setup with { Checked = true }));
        Assert.Equal(c.Kind, ex.Kind);
        Assert.Equal(c.Insn, ex.InstructionIndex);
        Assert.StartsWith($"insn {c.Insn}: ", ex.Message);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Out_of_bounds_message_names_the_address_and_the_nearest_region(string engine)
    {
        ulong mem = 0;
        var setup = Rw with { Configure = run => mem = run.R1 };
        var ex = Assert.Throws<BpfRuntimeException>(() => ProgramRunner.Run(engine, Program(Mov64(R0, 0), LdxMem(BPF_DW, R0, R1, 4), Exit()), setup));
        Assert.Equal(mem + 4, ex.Address);
        Assert.Equal($"insn 1: out-of-bounds load of 8 bytes at 0x{mem + 4:x} (mem is 0x{mem:x}-0x{mem + 8:x})", ex.Message);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Stack_overflow_message_names_the_frame(string engine)
    {
        var ex = Assert.Throws<BpfRuntimeException>(() => ProgramRunner.Run(engine, Program(StMem(BPF_DW, R10, -520, 1), Exit()), Rw));
        Match m = Regex.Match(ex.Message, @"^insn 0: out-of-bounds store of 8 bytes at 0x([0-9a-f]+) \(stack frame 0 is 0x([0-9a-f]+)-0x([0-9a-f]+)\)$");
        Assert.True(m.Success, ex.Message);
        ulong address = Convert.ToUInt64(m.Groups[1].Value, 16), low = Convert.ToUInt64(m.Groups[2].Value, 16), top = Convert.ToUInt64(m.Groups[3].Value, 16);
        Assert.Equal((ulong)BpfStack.FrameSize, top - low);
        Assert.Equal(top - 520, address);
        Assert.Equal(address, ex.Address);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Read_only_message_names_the_region(string engine)
    {
        ulong mem = 0;
        var setup = Ro with { Configure = run => mem = run.R1 };
        var ex = Assert.Throws<BpfRuntimeException>(() => ProgramRunner.Run(engine, Program(StMem(BPF_H, R1, 2, 1), Exit()), setup));
        Assert.Equal($"insn 0: store of 2 bytes at 0x{mem + 2:x} into read-only mem is 0x{mem:x}-0x{mem + 8:x}", ex.Message);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Helper_faults_say_so(string engine)
    {
        var setup = Rw with { Helpers = TestHelpers.Registry() };
        var ex = Assert.Throws<BpfRuntimeException>(() => ProgramRunner.Run(engine, Program(Mov64(R2, 9), Call(TestHelpers.ProbeRead), Exit()), setup));
        Assert.StartsWith("insn 1: helper call: out-of-bounds load of 9 bytes", ex.Message);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void In_bounds_accesses_run(string engine)
    {
        using var extra = new NativeBuffer(ProgramRunner.Hex("2A 00 00 00"));
        var setup = new RunSetup
        {
            Memory = ProgramRunner.Hex("01 00 00 00 00 00 00 00"),
            MemoryWritable = false,
            Packet = ProgramRunner.Hex("05"),
            Helpers = TestHelpers.Registry(),
            Configure = run =>
            {
                run.AddRegion(extra.ToRegion(writable: true, "ctx"));
                run.R3 = (ulong)extra.Pointer;
                run.R5 = (ulong)run.Packet!.Value.Start;
            },
        };
        Instruction[] program = Program(
            LdxMem(BPF_DW, R6, R1, 0),                // read-only memory may be read, up to its last byte: 1
            LdxMem(BPF_W, R4, R3, 0), Add64(R6, R4),  // an extra region: 42
            StMem(BPF_W, R3, 0, 100),                 // ... writable
            LdxMem(BPF_W, R4, R3, 0), Add64(R6, R4),  // 100
            LdxMem(BPF_B, R4, R5, 0), Add64(R6, R4),  // the packet: 5
            StMem(BPF_DW, R10, -512, 1000),           // the bottom of frame 0
            LdxMem(BPF_DW, R4, R10, -512), Add64(R6, R4),
            Mov64(R2, 8), Call(TestHelpers.ProbeRead), // a helper probing exactly the caller memory: returns 1
            Add64(R0, R6),
            Exit());
        Assert.Equal(1ul + 42 + 100 + 5 + 1000 + 1, ProgramRunner.Run(engine, program, setup).R0);
    }

    [Theory]
    [MemberData(nameof(EnginesAndModes))]
    public void The_budget_counts_instructions(string engine, bool isChecked)
    {
        Instruction[] program = Program(Mov64(R0, 1), Mov64(R1, 2), Exit());
        Assert.Equal(1ul, ProgramRunner.Run(engine, program, new RunSetup { Checked = isChecked, Budget = 3 }).R0);
        var ex = Assert.Throws<BpfRuntimeException>(() => ProgramRunner.Run(engine, program, new RunSetup { Checked = isChecked, Budget = 2 }));
        Assert.Equal(FaultKind.BudgetExhausted, ex.Kind);
        Assert.Equal(2, ex.InstructionIndex);
        Assert.Equal("insn 2: instruction budget of 2 exhausted", ex.Message);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Falling_off_the_end_is_a_fault_in_unchecked_mode_too(string engine)
    {
        var ex = Assert.Throws<BpfRuntimeException>(() => ProgramRunner.Run(engine, Program(Mov64(R0, 1)), new RunSetup { Checked = false }));
        Assert.Equal(FaultKind.FellOffEnd, ex.Kind);
        Assert.Equal(1, ex.InstructionIndex);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void A_fault_leaves_the_context_reusable(string engine)
    {
        var context = new RunContext();
        var run = EngineMatrix.Get(engine).Load(Program(LdxMem(BPF_DW, R0, R1, 0), Exit()), new EngineOptions(true, null, 0));
        Assert.Throws<BpfRuntimeException>(() => run(context));
        Assert.False(context.IsRunning);
        using var mem = new NativeBuffer(ProgramRunner.Hex("0900000000000000"));
        context.AddRegion(mem.ToRegion(writable: false, "mem"));
        context.R1 = (ulong)mem.Pointer;
        Assert.Equal(9ul, run(context));
    }
}
