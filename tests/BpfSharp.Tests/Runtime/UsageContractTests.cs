using BpfSharp.Isa;
using BpfSharp.Memory;
using BpfSharp.Runtime;
using static BpfSharp.Isa.Asm;
using static BpfSharp.Isa.Opcodes;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Runtime;

/// <summary>The usage other components are written against, verbatim: it must keep compiling and working.</summary>
public class UsageContractTests
{
    [Fact]
    public unsafe void The_documented_usage_runs()
    {
        // Sum the caller memory's bytes and add the first packet byte (LD_ABS).
        Instruction[] program = Program(
            Mov64(R0, 0),
            Label("loop"),
            Jeq(R2, 0, "done"),
            LdxMem(BPF_B, R3, R1, 0),
            Add64(R0, R3),
            Add64(R1, 1),
            Sub64(R2, 1),
            Ja("loop"),
            Label("done"),
            Mov64(R6, R0),
            LdAbs(BPF_B, 0),
            Add64(R0, R6),
            Exit());
        byte* mem = stackalloc byte[] { 1, 2, 3, 4 };
        byte* pkt = stackalloc byte[] { 100 };
        nint memPtr = (nint)mem, pktPtr = (nint)pkt;
        long memLen = 4, pktLen = 1;

        var helpers = new HelperRegistry();
        var vm = new Interpreter(program, new InterpreterOptions { Checked = true, Helpers = helpers, InstructionBudget = 10_000_000 });
        var run = new RunContext();
        run.R1 = (ulong)memPtr; run.R2 = (ulong)memLen;
        run.AddRegion(new MemoryRegion(memPtr, memLen, writable: true, "mem"));
        run.Packet = new MemoryRegion(pktPtr, pktLen, writable: false, "packet");
        ulong r0 = vm.Run(run);

        Assert.Equal(110ul, r0);
    }

    [Fact]
    public void Conformance_helpers_register_unwind()
    {
        var helpers = new HelperRegistry();
        helpers.AddConformanceHelpers();
        var vm = new Interpreter(Program(Mov64(R1, 0), Call(5), Mov64(R0, 99), Exit()),
            new InterpreterOptions { Checked = true, Helpers = helpers });
        Assert.Equal(0ul, vm.Run(new RunContext()));
    }
}
