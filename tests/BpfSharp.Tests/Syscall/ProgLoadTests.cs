using BpfSharp.Isa;
using BpfSharp.Maps;
using BpfSharp.Memory;
using BpfSharp.Syscall;
using BpfSharp.Uapi;
using static BpfSharp.Isa.Opcodes;
using static BpfSharp.Isa.Reg;

namespace BpfSharp.Tests.Syscall;

/// <summary>PROG_LOAD: flags, names, the log, map lddw resolution (fd, value, fd_array index) and the tag.</summary>
public unsafe class ProgLoadTests
{
    private static readonly Instruction[] Ret0 = [Asm.Mov64(R0, 0), Asm.Exit()];

    private static LoadedProgram Program(OurTarget t, int fd)
    {
        Assert.Equal(0, t.System.GetObject(fd, out BpfObject? obj));
        obj!.Release();
        return Assert.IsType<LoadedProgram>(obj);
    }

    private static Map MapOf(OurTarget t, int fd)
    {
        Assert.Equal(0, t.System.GetObject(fd, out BpfObject? obj));
        obj!.Release();
        return Assert.IsAssignableFrom<Map>(obj);
    }

    // Every prog_flags bit the kernel (6.18) accepts for a socket filter and an XDP program; bit 4
    // (BPF_F_SLEEPABLE) only for program types that may sleep (here: kprobe, i.e. uprobe).
    public static TheoryData<string, BpfProgType, int, int> FlagRows()
    {
        var rows = new TheoryData<string, BpfProgType, int, int>();
        foreach (string target in Targets.Names)
        {
            foreach (BpfProgType type in new[] { BpfProgType.SocketFilter, BpfProgType.Xdp })
            {
                for (int bit = 0; bit < 12; bit++)
                    rows.Add(target, type, bit, bit is 4 or >= 8 ? -Errno.EINVAL : 0);
            }
            rows.Add(target, BpfProgType.Kprobe, 4, 0);
        }
        return rows;
    }

    [SkippableTheory]
    [MemberData(nameof(FlagRows))]
    public void Prog_flags_are_accepted_as_the_kernel_accepts_them(string target, BpfProgType type, int bit, int expected)
    {
        using IBpfTarget t = Targets.Create(target);
        int rc = t.Load(Ret0, out string log, type: type, flags: 1u << bit);
        Assert.True(expected == 0 ? rc >= 0 : rc == expected, $"{rc}: {log}");
    }

    [SkippableTheory]
    [InlineData("ours")]
    [InlineData("kernel")]
    public void Syscall_programs_must_be_sleepable(string target)
    {
        using IBpfTarget t = Targets.Create(target);
        Assert.Equal(-Errno.EINVAL, t.Load(Ret0, out string log, type: BpfProgType.Syscall));
        Assert.Contains("Syscall programs can only be sleepable", log);
        Assert.True(t.Load(Ret0, out _, type: BpfProgType.Syscall, flags: ProgFlags.BPF_F_SLEEPABLE) >= 0);
    }

    [SkippableTheory]
    [InlineData("ours", "fd 999 is not pointing to valid bpf_map", -Errno.EBADF)]
    [InlineData("kernel", "fd 999 is not pointing to valid bpf_map", -Errno.EBADF)]
    public void A_bad_map_fd_is_named_in_the_log(string target, string message, int errno)
    {
        using IBpfTarget t = Targets.Create(target);
        Assert.Equal(errno, t.Load(Asm.Program(Asm.LdMapFd(R1, 999), Asm.Mov64(R0, 0), Asm.Exit()), out string log));
        Assert.StartsWith(message, log);
    }

    [SkippableTheory]
    [InlineData("ours")]
    [InlineData("kernel")]
    public void A_map_index_without_fd_array_is_EPROTO(string target)
    {
        using IBpfTarget t = Targets.Create(target);
        Assert.Equal(-Errno.EPROTO, t.Load(Asm.Program(Asm.LdMapIdx(R1, 0), Asm.Mov64(R0, 0), Asm.Exit()), out string log));
        Assert.StartsWith("fd_idx without fd_array is invalid", log);
    }

    [Fact]
    public void A_map_lddw_becomes_a_plain_lddw_of_the_map_handle()
    {
        using var t = new OurTarget();
        int fd = t.CreateArray();
        int prog = t.Load(Asm.Program(Asm.LdMapFd(R1, fd), Asm.Mov64(R0, 0), Asm.Exit()));
        LoadedProgram p = Program(t, prog);
        Assert.Equal(0, p.Instructions[0].Src);
        Assert.Equal((ulong)MapOf(t, fd).Handle, p.Instructions[0].Imm64(p.Instructions[1]));
        Assert.False(p.IsChecked); // verified: runs unchecked
    }

    [Fact]
    public void Map_indexes_are_taken_from_fd_array()
    {
        using var t = new OurTarget();
        int a = t.CreateArray(), b = t.CreateArray(maxEntries: 1);
        int prog = t.Load(Asm.Program(Asm.LdMapIdx(R1, 1), Asm.LdMapIdxValue(R2, 0, 4), Asm.Mov64(R0, 0), Asm.Exit()),
            out string log, fdArray: [b, a]);
        Assert.True(prog >= 0, log);
        LoadedProgram p = Program(t, prog);
        Assert.Equal((ulong)MapOf(t, a).Handle, p.Instructions[0].Imm64(p.Instructions[1]));
        Assert.Equal([MapOf(t, a), MapOf(t, b)], p.UsedMaps);
    }

    [Fact]
    public void A_direct_value_load_reads_and_writes_the_array_value()
    {
        using var t = new OurTarget();
        int map = t.CreateArray(maxEntries: 1, valueSize: 16);
        Assert.Equal(0, t.Update(map, 0, 0x0102_0304));
        // r1 = &value + 8; *(u64 *)r1 = 0x55; r0 = *(u32 *)(r1 - 8)
        int prog = t.Load(Asm.Program(
            Asm.LdMapValue(R1, map, 8), Asm.StMem(BPF_DW, R1, 0, 0x55), Asm.LdxMem(BPF_W, R0, R1, -8), Asm.Exit()));
        Assert.Equal(0, t.TestRun(prog, new byte[14], out TestRunAttr run));
        Assert.Equal(0x0102_0304u, run.Retval);
        ulong* value = (ulong*)(nint)Program(t, prog).Instructions[0].Imm64(Program(t, prog).Instructions[1]);
        Assert.Equal(0x55ul, value[0]); // the store went to value + 8
    }

    [SkippableTheory]
    [InlineData("ours")]
    [InlineData("kernel")]
    public void Direct_value_offsets_must_lie_inside_the_value(string target)
    {
        using IBpfTarget t = Targets.Create(target);
        int map = t.CreateArray(maxEntries: 1, valueSize: 8);
        Assert.Equal(-Errno.EINVAL, t.Load(Asm.Program(Asm.LdMapValue(R1, map, 8), Asm.Mov64(R0, 0), Asm.Exit()), out string log));
        Assert.StartsWith("invalid access to map value pointer, value_size=8 off=8", log);
    }

    [SkippableTheory]
    [InlineData("ours")]
    [InlineData("kernel")]
    public void A_program_reads_a_global_through_a_direct_value_load(string target)
    {
        using IBpfTarget t = Targets.Create(target);
        int map = t.CreateArray(maxEntries: 1, valueSize: 16);
        byte[] value = new byte[16];
        BitConverter.GetBytes(0x2a2b_2c2du).CopyTo(value, 8);
        uint key = 0;
        fixed (byte* v = value)
        {
            BpfAttr attr = default;
            attr.MapElem.MapFd = (uint)map;
            attr.MapElem.Key = (ulong)&key;
            attr.MapElem.Value = (ulong)v;
            Assert.Equal(0, t.Bpf(BpfCommand.MapUpdateElem, ref attr));
        }
        // r1 = &value + 8 (a global at offset 8 of .data); r0 = *(u32 *)r1
        int prog = t.Load(Asm.Program(Asm.LdMapValue(R1, map, 8), Asm.LdxMem(BPF_W, R0, R1, 0), Asm.Exit()), out string log);
        Assert.True(prog >= 0, log);
        Assert.Equal(0, t.TestRun(prog, new byte[64], out TestRunAttr run));
        Assert.Equal(0x2a2b_2c2du, run.Retval);
        // The same through fd_array (BPF_PSEUDO_MAP_IDX_VALUE).
        prog = t.Load(Asm.Program(Asm.LdMapIdxValue(R1, 0, 8), Asm.LdxMem(BPF_W, R0, R1, 0), Asm.Exit()), out log, fdArray: [map]);
        Assert.True(prog >= 0, log);
        Assert.Equal(0, t.TestRun(prog, new byte[64], out run));
        Assert.Equal(0x2a2b_2c2du, run.Retval);
    }

    public static TheoryData<string, string, BpfMapType, uint, uint, int, int> DirectValueRefusals()
    {
        var rows = new TheoryData<string, string, BpfMapType, uint, uint, int, int>();
        foreach (string target in Targets.Names)
        {
            rows.Add(target, "hash", BpfMapType.Hash, 1, 8, 0, -Errno.EINVAL);
            rows.Add(target, "percpu array", BpfMapType.PercpuArray, 1, 8, 0, -Errno.EINVAL);
            rows.Add(target, "queue", BpfMapType.Queue, 1, 8, 0, -Errno.EINVAL);
            rows.Add(target, "array of 2", BpfMapType.Array, 2, 8, 0, -Errno.ENOTSUPP);
            rows.Add(target, "offset = value_size", BpfMapType.Array, 1, 8, 8, -Errno.EINVAL);
            rows.Add(target, "offset 1 << 29", BpfMapType.Array, 1, 8, 1 << 29, -Errno.EINVAL);
            rows.Add(target, "hash, offset 1 << 29", BpfMapType.Hash, 1, 8, 1 << 29, -Errno.EINVAL);
            rows.Add(target, "last byte", BpfMapType.Array, 1, 8, 7, 0);
        }
        return rows;
    }

    [SkippableTheory]
    [MemberData(nameof(DirectValueRefusals))]
    public void Direct_value_loads_need_a_single_element_array_and_an_offset_inside_its_value(
        string target, string name, BpfMapType type, uint maxEntries, uint valueSize, int offset, int expected)
    {
        using IBpfTarget t = Targets.Create(target);
        int map = t.CreateMap(type, type == BpfMapType.Queue ? 0u : 4u, valueSize, maxEntries);
        Assert.True(map >= 0, name);
        int rc = t.Load(Asm.Program(Asm.LdMapValue(R1, map, offset), Asm.Mov64(R0, 0), Asm.Exit()), out _);
        Assert.Equal(Errno.Name(expected), Errno.Name(Math.Min(rc, 0)));
    }

    [Fact]
    public void A_program_may_use_at_most_64_maps()
    {
        using var t = new OurTarget();
        var items = new List<AsmItem>();
        for (int i = 0; i < 65; i++)
            items.Add(Asm.LdMapFd(R1, t.CreateArray(maxEntries: 1)));
        items.Add(Asm.Mov64(R0, 0));
        items.Add(Asm.Exit());
        Assert.Equal(-Errno.E2BIG, t.Load(Asm.Program([.. items]), out _));
        Assert.True(t.Load(Asm.Program([.. items[1..]])) >= 0);
    }

    [Fact]
    public void An_invalid_instruction_is_EINVAL_with_the_reason_in_the_log()
    {
        using var t = new OurTarget();
        Assert.Equal(-Errno.EINVAL, t.Load([Asm.Raw(0xff, 0, 0, 0, 0), Asm.Exit()], out string log));
        Assert.Equal("unknown opcode ff\n" + Processed0, log); // the live kernel's two lines
    }

    [Fact]
    public void A_log_too_small_is_ENOSPC_and_keeps_the_end_of_the_log()
    {
        using var t = new OurTarget();
        Assert.Equal(-Errno.ENOSPC, t.Load([Asm.Raw(0xff, 0, 0, 0, 0), Asm.Exit()], out string log, logSize: 8));
        Assert.Equal("read 0\n", log); // the last log_size - 1 bytes of the log, whose last line is the statistics
    }

    [Fact]
    public void BPF_LOG_FIXED_keeps_the_beginning_of_the_log()
    {
        using var t = new OurTarget();
        Assert.Equal(-Errno.ENOSPC, t.Load([Asm.Raw(0xff, 0, 0, 0, 0), Asm.Exit()], out string log, logSize: 8, logLevel: 1 | 8));
        Assert.Equal("unknown", log); // the first log_size - 1 bytes of "unknown opcode ff\n..."
    }

    [Fact]
    public void A_successful_load_logs_only_the_statistics()
    {
        // the live kernel's log for a successful level-1 load of "r0 = 0; exit" is this one line
        using var t = new OurTarget();
        Assert.True(t.Load(Ret0, out string log) >= 0);
        Assert.Equal("processed 2 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n", log);
    }

    private const string Processed0 =
        "processed 0 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n";

    [Fact]
    public void Kfunc_calls_are_rejected()
    {
        using var t = new OurTarget();
        Assert.Equal(-Errno.EINVAL, t.Load([Asm.CallKfunc(5), Asm.Mov64(R0, 0), Asm.Exit()], out string log));
        Assert.Contains("kfunc", log);
    }

    // Tags printed by the live kernel (6.18, SHA-256) for these exact programs.
    [Theory]
    [InlineData("b7000000000000009500000000000000", "59f4a931744dcdc6")]
    [InlineData("180000008877665500000000443322119500000000000000", "fb4f2a29d50b7322")]
    [InlineData("18110000030000000000000000000000b7000000000000009500000000000000", "0bd0168676c7c779")]
    [InlineData("18210000030000000000000000000000b7000000000000009500000000000000", "28813e616f1f93d1")]
    public void The_tag_is_the_kernels(string hex, string tag)
    {
        byte[] bytes = Convert.FromHexString(hex);
        var program = new Instruction[bytes.Length / 8];
        for (int i = 0; i < program.Length; i++)
            program[i] = Instruction.Read(bytes.AsSpan(i * 8));
        Assert.Equal(tag, ProgTag.Compute(program).ToString());
    }

    [Fact]
    public void The_loaded_program_keeps_name_type_and_expected_attach_type()
    {
        using var t = new OurTarget();
        int fd = t.Load(Ret0, out _, type: BpfProgType.CgroupSock, name: "sock_create");
        LoadedProgram p = Program(t, fd);
        Assert.Equal("sock_create", p.Name);
        Assert.Equal(BpfProgType.CgroupSock, p.Type);
        Assert.Equal((uint)BpfAttachType.CgroupInetSockCreate, p.ExpectedAttachType); // the kernel's default for 0
    }
}
