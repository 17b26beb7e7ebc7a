using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using BpfSharp.Isa;
using BpfSharp.Tests.Kernel;

namespace BpfSharp.Tests.Verifier;

/// <summary>
/// Reloads the programs of <see cref="StatePrinterKernelPrograms"/> into the running kernel with log_level 2
/// and checks that every line <see cref="StatePrinterTests"/> quotes is still a line of its log (map addresses
/// masked). Skipped where bpf() is unavailable.
/// </summary>
public unsafe class StatePrinterKernelTests
{
    private static int Bpf(int cmd, byte[] attr)
    {
        fixed (byte* a = attr)
            return KernelBpf.Bpf(cmd, a, attr.Length);
    }

    // BPF_MAP_CREATE with map_name (union bpf_attr: map_type, key_size, value_size, max_entries, map_flags,
    // inner_map_fd, numa_node, then map_name[16] at offset 28)
    private static int MapCreate(uint type, uint ks, uint vs, uint max, string name)
    {
        var attr = new byte[72];
        BitConverter.TryWriteBytes(attr.AsSpan(0), type);
        BitConverter.TryWriteBytes(attr.AsSpan(4), ks);
        BitConverter.TryWriteBytes(attr.AsSpan(8), vs);
        BitConverter.TryWriteBytes(attr.AsSpan(12), max);
        Encoding.ASCII.GetBytes(name).CopyTo(attr, 28);
        return Bpf(0, attr);
    }

    // BPF_PROG_LOAD with log_level 2 (prog_type, insn_cnt, insns, license, log_level, log_size, log_buf)
    private static int ProgLoadLevel2(uint type, Instruction[] insns, out string log)
    {
        var buffer = new byte[1 << 20];
        byte[] license = Encoding.ASCII.GetBytes("GPL\0");
        var attr = new byte[144];
        fixed (Instruction* i = insns)
        fixed (byte* l = license)
        fixed (byte* b = buffer)
        {
            BitConverter.TryWriteBytes(attr.AsSpan(0), type);
            BitConverter.TryWriteBytes(attr.AsSpan(4), (uint)insns.Length);
            BitConverter.TryWriteBytes(attr.AsSpan(8), (ulong)i);
            BitConverter.TryWriteBytes(attr.AsSpan(16), (ulong)l);
            BitConverter.TryWriteBytes(attr.AsSpan(24), 2u);
            BitConverter.TryWriteBytes(attr.AsSpan(28), (uint)buffer.Length);
            BitConverter.TryWriteBytes(attr.AsSpan(32), (ulong)b);
            int fd = Bpf(5, attr);
            int end = Array.IndexOf(buffer, (byte)0);
            log = Encoding.UTF8.GetString(buffer, 0, end < 0 ? buffer.Length : end);
            return fd;
        }
    }

    private static string MaskAddresses(string line) => Regex.Replace(line, "0xffff[0-9a-f]{12}", "ADDR");

    [SkippableFact]
    public void QuotedLinesAreWhatTheRunningKernelPrints()
    {
        Skip.IfNot(KernelBpf.IsAvailable, "bpf() is not available (needs x86-64 Linux as root)");
        var maps = new Dictionary<int, int>
        {
            [StatePrinterKernelPrograms.MapM] = MapCreate(1, 4, 8, 16, "m"),
            [StatePrinterKernelPrograms.MapArr] = MapCreate(2, 4, 48, 4, "arr"),
            [StatePrinterKernelPrograms.MapRb] = MapCreate(27, 0, 0, 4096, "rb"),
        };
        try
        {
            Assert.All(maps.Values, fd => Assert.True(fd > 0, $"map create: {fd}"));
            var logs = new Dictionary<string, HashSet<string>>();
            foreach (var (name, type, program) in StatePrinterKernelPrograms.All())
            {
                Instruction[] insns = (Instruction[])program.Clone();
                for (int k = 0; k < insns.Length; k++)
                    if (insns[k].Opcode == 0x18 && insns[k].Src == 1)
                        insns[k] = new Instruction(0x18, insns[k].Dst, 1, 0, maps[insns[k].Imm]);
                int fd = ProgLoadLevel2(type, insns, out string log);
                // P3 ends in "R8 !read_ok" on its second path (-EACCES); its log is complete all the same
                Assert.True(fd >= 0 || name == "P3", $"{name}: load failed {fd}\n{log}");
                if (fd >= 0) KernelBpf.Close(fd);
                logs[name] = new HashSet<string>(log.Split('\n').Select(MaskAddresses));
            }
            foreach (var row in StatePrinterTests.KernelLines())
            {
                string key = (string)row[0], line = (string)row[1];
                string program = key.Split(' ')[0];
                Assert.True(logs[program].Contains(MaskAddresses(line)), $"{key}: not in the kernel's log: {line}");
            }
        }
        finally
        {
            foreach (int fd in maps.Values)
                if (fd > 0) KernelBpf.Close(fd);
        }
    }
}
