// The README's demo. Part one: assemble a program from kernel-syntax text, run it without a verifier
// in checked mode over a packet, and print its disassembly in the verifier log's syntax.
using System.Runtime.InteropServices;
using BpfSharp;
using BpfSharp.Isa;
using BpfSharp.Memory;
using BpfSharp.Runtime;
using BpfSharp.Uapi;

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

// Part two: the bpf() system. A HASH map and a socket filter that counts packets per protocol
// in it, run through BPF_PROG_TEST_RUN; user space reads the map through the typed API.
Console.WriteLine();
using var system = new BpfSystem();
using var counts = BpfMap<uint, ulong>.Create(system, BpfMapType.Hash, maxEntries: 256, name: "proto_counts");
string counter = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "count_protocols.s")).Replace("MAP_FD", counts.Fd.ToString());
using var filter = BpfProgram.Load(system, BpfProgType.SocketFilter, Assembler.Assemble(counter), name: "count_protocols");
Console.WriteLine($"Loaded {filter.Name} (prog id {filter.Id}, tag {filter.Tag}) using map {counts.Name} (fd {counts.Fd}).");

byte[] tcp = Convert.FromHexString("4500002800004000400600000a0000010a000002");
byte[] udp = Convert.FromHexString("4500002800004000401100000a0000010a000002");
foreach (byte[] packet in new[] { tcp, udp, tcp, tcp, udp })
    filter.TestRun(packet);
foreach (var (protocol, count) in counts)
    Console.WriteLine($"  protocol {protocol,3} ({(protocol == 6 ? "tcp" : protocol == 17 ? "udp" : "?")}): {count} packets");
