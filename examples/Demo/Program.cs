// The README's demo: assemble a program from kernel-syntax text, run it without a verifier
// in checked mode over a packet, and print its disassembly in the verifier log's syntax.
using System.Runtime.InteropServices;
using BpfSharp.Isa;
using BpfSharp.Memory;
using BpfSharp.Runtime;

string source = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "checksum.s"));
Instruction[] program = Assembler.Assemble(source);

Console.WriteLine($"Assembled checksum.s: {program.Length} instructions, {program.Length * Instruction.Size} bytes of byte code.");
Console.WriteLine();
foreach (string line in Disassembler.Disassemble(program))
    Console.WriteLine(line);
Console.WriteLine();

// An IPv4 header whose checksum field (bytes 10-11) holds 0xb861: summing the whole header gives 0.
byte[] header = Convert.FromHexString("450000730000400040110000c0a80001c0a800c7");
header[10] = 0xb8; header[11] = 0x61;

var vm = new Interpreter(program, new InterpreterOptions { Checked = true, InstructionBudget = 1_000_000 });
unsafe
{
    nint mem = (nint)NativeMemory.Alloc((nuint)header.Length);
    try
    {
        header.CopyTo(new Span<byte>((void*)mem, header.Length));
        var run = new RunContext { R1 = (ulong)mem, R2 = (ulong)header.Length };
        run.AddRegion(new MemoryRegion(mem, header.Length, writable: false, "packet"));

        ulong r0 = vm.Run(run);
        Console.WriteLine($"Checksum over the IPv4 header (checksum field included): r0 = 0x{r0:x} (0 means the header is intact)");

        ((byte*)mem)[8] = 0x3f; // change the TTL: the checksum no longer verifies
        r0 = vm.Run(run);
        Console.WriteLine($"After changing the TTL:                                  r0 = 0x{r0:x}");
    }
    finally
    {
        NativeMemory.Free((void*)mem);
    }
}
