using BpfSharp.Elf;
using BpfSharp.Runtime;

namespace BpfSharp.Tests.Runtime;

/// <summary>
/// Verified programs with callbacks (bpf_loop, bpf_for_each_map_elem) and global functions, built by clang
/// (tests/programs/elf_callbacks.c, elf_global_args.c), run on both engines: the results the C source computes
/// (the live kernel gives the same, see ElfKernelTests), twice, since the programs reset the maps they use.
/// </summary>
public class CallbackProgramTests
{
    // Ethernet (IPv4) + IPv4 (protocol UDP) + UDP + payload: 65 bytes, as ElfKernelTests runs the programs.
    private static readonly byte[] Packet = Convert.FromHexString(
        "0000000000020000000000010800" + "4500003200004000401100007f0000017f000001" + "303930390018000068656c6c6f20776f726c64"
        + "000000000000000000000000");

    public static TheoryData<string, string, uint, ExecutionEngine> Cases()
    {
        var data = new TheoryData<string, string, uint, ExecutionEngine>();
        (string Obj, string Prog, uint Expected)[] rows =
        [
            ("elf_callbacks.o", "loop_sum", 11045),           // sum of 0..9, 10 iterations, 10 calls
            ("elf_callbacks.o", "loop_stop", 65),             // the callback stops at index 5: 6 iterations
            ("elf_callbacks.o", "loop_nested", 12),           // 4 outer iterations of 3 inner ones
            ("elf_callbacks.o", "for_each_array", 4410),      // values 1..4: sum 10, 4 calls, 4 elements
            ("elf_callbacks.o", "for_each_hash", 236),        // keys 1..3: sum 6, 3 elements, value of key 2 incremented to 2
            ("elf_callbacks.o", "loop_in_global", 11),        // bpf_loop in a global function: 7 + (20 & 15)
            ("elf_global_args.o", "xdp_args", 512086),        // ctx (65 bytes), NULL and non-NULL memory, scalars
            ("elf_global_args.o", "socket_args", 63),         // skb->len (65 less the 14-byte Ethernet header) + 3 * 4
            ("elf_global_func.o", "use_global", 42),
        ];
        foreach (ExecutionEngine engine in new[] { ExecutionEngine.Interpreter, ExecutionEngine.Jit })
            foreach (var (obj, prog, expected) in rows)
                data.Add(obj, prog, expected, engine);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_program_computes_what_its_source_says(string obj, string program, uint expected, ExecutionEngine engine)
    {
        CollectionSpec spec = CollectionSpec.Load(TestPrograms.PathOf(obj));
        using var system = new BpfSystem(new BpfSystemOptions { Engine = engine });
        using Collection loaded = Collection.Load(spec, system, new CollectionOptions { Programs = [program] });
        BpfProgram prog = loaded.Programs[program];
        for (int run = 0; run < 2; run++)
            Assert.Equal(expected, prog.TestRun(Packet, new byte[Packet.Length + 512]).Retval);
    }
}
