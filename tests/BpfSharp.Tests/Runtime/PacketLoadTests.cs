using BpfSharp.Isa;
using BpfSharp.Tests.Runtime.Engines;
using static BpfSharp.Isa.Asm;
using static BpfSharp.Isa.Opcodes;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Runtime;

/// <summary>
/// Legacy packet loads LD_ABS / LD_IND (RFC 9669 5.5): big-endian reads from the run's packet into r0,
/// zero-extended; a read not wholly inside the packet ends the program at once with r0 = 0.
/// </summary>
public class PacketLoadTests
{
    public sealed record PacketCase(string Name, Instruction UnderTest, AsmItem[] Body, string? Packet, ulong Expected);

    private const string Packet8 = "00 11 22 33 44 55 66 77";

    // In bounds: the load, then exit.
    private static PacketCase In(string name, string? packet, ulong expected, params AsmItem[] setupAndLoad) =>
        new(name, Asm.Program(setupAndLoad)[^1], [.. setupAndLoad, Exit()], packet, expected);

    // Out of bounds: r0 = 5, the load, then r0 = 99; the load must end the program with r0 = 0.
    private static PacketCase Out(string name, string? packet, params AsmItem[] setupAndLoad) =>
        new(name, Asm.Program(setupAndLoad)[^1], [Mov64(R0, 5), .. setupAndLoad, Mov64(R0, 99), Exit()], packet, 0);

    public static readonly PacketCase[] All =
    [
        In("ldabsb", Packet8, 0x11, LdAbs(BPF_B, 1)),
        In("ldabsh is big-endian", Packet8, 0x2233, LdAbs(BPF_H, 2)),
        In("ldabsw is big-endian", Packet8, 0x4455_6677, LdAbs(BPF_W, 4)),
        In("ldabsb zero-extends into r0", Packet8, 0x11, LdImm64(R0, -1), LdAbs(BPF_B, 1)),
        In("ldabsw last word", Packet8, 0x4455_6677, LdAbs(BPF_W, 4)),
        Out("ldabsw one byte past the end", Packet8, LdAbs(BPF_W, 5)),
        Out("ldabsb at the end", Packet8, LdAbs(BPF_B, 8)),
        Out("ldabsh straddling the end", Packet8, LdAbs(BPF_H, 7)),
        Out("ldabsb negative offset", Packet8, LdAbs(BPF_B, -1)),
        Out("ldabsb without a packet", null, LdAbs(BPF_B, 0)),
        In("ldindb", Packet8, 0x44, Mov64(R2, 3), LdInd(BPF_B, R2, 1)),
        In("ldindh", Packet8, 0x2233, Mov64(R2, 1), LdInd(BPF_H, R2, 1)),
        In("ldindw src -1 plus imm 5", Packet8, 0x4455_6677, Mov64(R2, -1), LdInd(BPF_W, R2, 5)),
        In("ldindw offset is the low 32 bits of src + imm", Packet8, 0x0011_2233, LdImm64(R2, 0x1_0000_0000), LdInd(BPF_W, R2, 0)),
        Out("ldindb negative offset", Packet8, Mov64(R2, -5), LdInd(BPF_B, R2, 1)),
        Out("ldindh past the end", Packet8, Mov64(R2, 6), LdInd(BPF_H, R2, 1)),
        Out("ldindw past the end", Packet8, Mov64(R2, 2), LdInd(BPF_W, R2, 3)),
    ];

    private static readonly Dictionary<string, PacketCase> Cases = EngineMatrix.Index(All, c => c.Name);

    public static TheoryData<string, string, string> Rows => EngineMatrix.Rows(Cases.Keys);

    public static TheoryData<string> Engines => EngineMatrix.Engines();

    [Theory]
    [MemberData(nameof(Rows))]
    public void Loads_big_endian_or_ends_the_program(string engine, string mode, string name)
    {
        PacketCase c = Cases[name];
        var setup = new RunSetup { Packet = c.Packet is null ? null : ProgramRunner.Hex(c.Packet) };
        ulong r0 = ProgramRunner.Run(engine, mode, Program(c.Body), setup).R0;
        Assert.Equal($"0x{c.Expected:x}", $"0x{r0:x}");
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public void Out_of_bounds_ends_the_program_from_a_subprogram(string engine)
    {
        Instruction[] program = Program(
            Mov64(R0, 1),
            CallRel("f"),
            Mov64(R0, 99),
            Exit(),
            Label("f"),
            LdAbs(BPF_W, 100),
            Mov64(R0, 42),
            Exit());
        var setup = new RunSetup { Packet = ProgramRunner.Hex(Packet8) };
        Assert.Equal(0ul, ProgramRunner.Run(engine, program, setup).R0);
    }
}
