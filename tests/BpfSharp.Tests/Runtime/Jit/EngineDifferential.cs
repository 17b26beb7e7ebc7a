using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using BpfSharp.Isa;
using BpfSharp.Memory;
using BpfSharp.Runtime;
using BpfSharp.Runtime.Jit;

namespace BpfSharp.Tests.Runtime.Jit;

/// <summary>
/// Runs one program on the interpreter and on the JIT, both in checked mode with the same budget, caller memory,
/// packet and helpers, and describes the outcome of each (r0 or the fault, and the caller memory afterwards). A
/// program that ran to its exit touched only memory it may touch with these inputs, so it then also runs in
/// unchecked mode without a budget (the code verified programs get) on both engines, which must agree with the
/// checked result. The checked JIT also runs with its subprograms cut into pieces of a few instructions.
/// </summary>
public static class EngineDifferential
{
    public const long Budget = 4096;

    /// <summary>Null if the engines agree; else both outcomes and the program.</summary>
    public static string? Compare(Instruction[] program, int seed) => Compare(program, seed, out _);

    /// <summary><see cref="Compare(Instruction[], int)"/>; <paramref name="outcome"/> is how the interpreter's run ended (r0 or the fault kind).</summary>
    public static string? Compare(Instruction[] program, int seed, out string outcome)
    {
        var rng = new Random(seed ^ 0x5eed);
        byte[] memory = new byte[RandomProgram.MemorySize];
        byte[] packet = new byte[RandomProgram.PacketSize];
        rng.NextBytes(memory);
        rng.NextBytes(packet);
        HelperRegistry helpers = TestHelpers.Registry();
        using var mem = new NativeBuffer(memory.Length);
        using var pkt = new NativeBuffer(packet);
        string interpreter = Outcome(() => new Interpreter(program, new InterpreterOptions { Checked = true, Helpers = helpers, InstructionBudget = Budget }),
            mem, memory, pkt);
        string jit = Outcome(() => new JitProgram(program, new JitOptions { Checked = true, Helpers = helpers, InstructionBudget = Budget }),
            mem, memory, pkt);
        // The same JIT with every subprogram cut into methods of 1-4 instructions (MethodPiece).
        int pieceInstructions = 1 + (seed & 3);
        string pieces = Outcome(() => new JitProgram(program, new JitOptions { Checked = true, Helpers = helpers, InstructionBudget = Budget, PieceInstructions = pieceInstructions }),
            mem, memory, pkt);
        bool exited = interpreter.StartsWith("r0=", StringComparison.Ordinal);
        outcome = exited ? "exit" : interpreter[..interpreter.IndexOf(':')];
        string mismatch = interpreter == jit && interpreter == pieces ? ""
            : $"  interpreter: {interpreter}\n  jit:         {jit}\n  jit, pieces of {pieceInstructions}: {pieces}\n";
        if (exited && mismatch.Length == 0)
        {
            // Unbudgeted, as verified programs run: this program is known to reach its exit.
            string uncheckedInterpreter = Outcome(() => new Interpreter(program, new InterpreterOptions { Helpers = helpers }),
                mem, memory, pkt);
            string uncheckedJit = Outcome(() => new JitProgram(program, new JitOptions { Helpers = helpers }),
                mem, memory, pkt);
            if (uncheckedInterpreter != interpreter || uncheckedJit != interpreter)
                mismatch = $"  checked:               {interpreter}\n  unchecked interpreter: {uncheckedInterpreter}\n  unchecked jit:         {uncheckedJit}\n";
        }
        if (mismatch.Length == 0) return null;
        var sb = new StringBuilder();
        sb.Append($"seed {seed}\n").Append(mismatch);
        foreach (string line in Disassembler.Disassemble(program))
            sb.Append("    ").Append(line).Append('\n');
        return sb.ToString();
    }

    // Each engine runs on its own native stack: addresses in a fault message that are not in the caller memory or the
    // packet (shared by both runs) are shown relative to the top of frame 0 when the message names it, else by their
    // alignment only (the stack block is 16-byte aligned in both engines).
    private static string StackRelative(string message, NativeBuffer mem, NativeBuffer packet)
    {
        Match frame = Regex.Match(message, @"stack frame 0 is 0x[0-9a-f]+-0x([0-9a-f]+)");
        ulong? top = frame.Success ? ulong.Parse(frame.Groups[1].Value, NumberStyles.HexNumber) : null;
        return Regex.Replace(message, @"0x([0-9a-f]{6,})", m =>
        {
            ulong address = ulong.Parse(m.Groups[1].Value, NumberStyles.HexNumber);
            if (Near(address, (ulong)mem.Pointer) || Near(address, (ulong)packet.Pointer)) return m.Value;
            return top is { } t ? $"top{(long)(address - t):+0;-0}" : $"stack(addr%16={address % 16})";
        });
    }

    private static bool Near(ulong address, ulong start) => address - (start - 4096) < 8192;

    private static string Outcome(Func<IProgramEngine> build, NativeBuffer mem, byte[] memory, NativeBuffer packet)
    {
        memory.CopyTo(mem.Span);
        IProgramEngine engine;
        try
        {
            engine = build();
        }
        catch (BpfFormatException e)
        {
            return "rejected: " + e.Message;
        }
        var run = new RunContext
        {
            R1 = (ulong)mem.Pointer,
            R2 = (ulong)mem.Length,
            Packet = packet.ToRegion(writable: false, "packet"),
            State = 0x5555ul,
        };
        run.AddRegion(mem.ToRegion(writable: true, "mem"));
        string result;
        try
        {
            result = $"r0=0x{engine.Run(run):x16}";
        }
        catch (BpfRuntimeException e)
        {
            result = $"{e.Kind}: {StackRelative(e.Message, mem, packet)}";
        }
        return $"{result} mem={Convert.ToHexString(mem.Span)}";
    }
}
