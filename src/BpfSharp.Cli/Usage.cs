namespace BpfSharp.Cli;

/// <summary>The help text of <c>bpfsharp</c>.</summary>
internal static class Usage
{
    public const string Text = """
        usage: bpfsharp <command> [options]

        commands:
          asm FILE.s -o FILE.bin        assemble kernel-syntax BPF assembly into byte code
          disasm FILE.bin | --hex HEX   print byte code in the kernel verifier log's syntax
          run PROGRAM [--mem FILE | --mem-hex HEX] [--engine interp] [--no-verify]
                                        run a program (byte code, or assembly if it ends in .s/.asm)
                                        with r1 = a writable copy of the memory, r2 = its length;
                                        prints r0 in hex. Until the verifier lands every program runs
                                        unverified, in checked mode (bounds-checked, instruction budget).
          conformance-plugin [MEM] [--elf]
                                        the bpf_conformance plugin protocol: program as hex bytes on stdin,
                                        MEM as hex bytes in one argument; prints r0 in hex

        """;
}
