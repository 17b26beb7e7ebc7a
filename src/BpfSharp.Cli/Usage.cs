namespace BpfSharp.Cli;

/// <summary>The help text of <c>bpfsharp</c>.</summary>
internal static class Usage
{
    public const string Text = """
        usage: bpfsharp <command> [options]

        commands:
          asm FILE.s -o FILE.bin        assemble kernel-syntax BPF assembly into byte code
          disasm FILE.bin | --hex HEX   print byte code in the kernel verifier log's syntax
          run PROGRAM [--mem FILE | --mem-hex HEX] [--engine interp|jit] [--no-verify]
                                        run a program (byte code, or assembly if it ends in .s/.asm)
                                        unverified, in checked mode, with r1 = a writable copy of the
                                        memory, r2 = its length; prints r0 in hex
          run OBJ.o [--section S] [--type T] --pcap FILE
                                        replay a libpcap capture through an XDP, tc, socket or cgroup/skb
                                        program of a clang-built object; prints the verdict counts and maps
          prog load OBJ.o [--section S] [--type T] [--max-entries MAP=N]... [--value-size MAP=N]...
                                        create the object's maps, verify and load its programs; print a summary;
                                        --max-entries / --value-size size a map as the object's loader does
                                        (bpf_map__set_max_entries / bpf_map__set_value_size)
          prog dump OBJ.o [--section S]  print each program as linked, in the verifier log's syntax
          prog run OBJ.o [--section S] [--type T] [--max-entries MAP=N]... [--value-size MAP=N]...
                   [--data-in FILE] [--data-out FILE|-] [--ctx-in FILE] [--ctx-out FILE|-]
                   [--repeat N] [--engine jit|interp]
                                        load the object, verify the one selected program and run it
                                        with BPF_PROG_TEST_RUN (bpftool prog run): prints the return
                                        value and the duration of a run
          btf dump OBJ.o                 print the object's BTF types (bpftool's format)
          map list OBJ.o                 print the maps the object declares
          verify OBJ.o [--section S] [--type T] [--log-level 0|1|2] [--max-entries MAP=N]... [--value-size MAP=N]...
                                        print the verifier's verdict and log for each program
                                        (exit 0: accepted, 1: rejected, 2: bad input); a map left with
                                        max_entries 0 for its loader to size gets a stand-in size (1; a
                                        ring buffer one page; a stack trace map without value_size 127*8),
                                        with a note
          conformance-plugin [MEM] [--elf]
                                        the bpf_conformance plugin protocol: program as hex bytes on stdin,
                                        MEM as hex bytes in one argument; prints r0 in hex

        """;
}
