using System.Text;
using BpfSharp.Isa;
using BpfSharp.Syscall;
using BpfSharp.Tests.Syscall;
using BpfSharp.Uapi;

namespace BpfSharp.Tests.Kernel;

/// <summary>
/// One BPF_PROG_TEST_RUN of the packet differential suite: a program (assembler text in the verifier-log syntax,
/// lines separated by <c>|</c>) of a type, and the attr of the run. The same case runs in the live kernel and in
/// ours; <see cref="Run"/> reports everything the kernel reports (errno, retval, data_size_out, data_out,
/// ctx_size_out, ctx_out) as one text, so the two compare in one assertion.
/// </summary>
internal sealed record PacketRunCase(string Name, BpfProgType Type, string Program, byte[]? Data)
{
    /// <summary>ctx_in, or null.</summary>
    public byte[]? CtxIn { get; init; }
    /// <summary>The size of the ctx_out buffer (0: no ctx_out).</summary>
    public int CtxOut { get; init; }
    /// <summary>The size of the data_out buffer (0: no data_out).</summary>
    public int DataOut { get; init; } = 8192;
    /// <summary>data_size_out as passed in (0: no limit).</summary>
    public uint DataSizeOut { get; init; }
    /// <summary>repeat.</summary>
    public uint Repeat { get; init; }
    /// <summary>flags.</summary>
    public uint Flags { get; init; }
    /// <summary>cpu.</summary>
    public uint Cpu { get; init; }
    /// <summary>batch_size.</summary>
    public uint BatchSize { get; init; }
    /// <summary>data_size_in, when it is not the data's length.</summary>
    public uint? DataSizeIn { get; init; }
    /// <summary>expected_attach_type at load.</summary>
    public uint ExpectedAttachType { get; init; }
    /// <summary>prog_flags at load (BPF_F_SLEEPABLE for syscall programs).</summary>
    public uint ProgFlags { get; init; }

    /// <summary>The program's instructions.</summary>
    public Instruction[] Instructions() => Assembler.Assemble(Program.Replace('|', '\n'));

    /// <summary>Loads the program on <paramref name="target"/> and test-runs it; the outcome as text ("load -13" if the load failed).</summary>
    public unsafe string Run(IBpfTarget target)
    {
        Instruction[] insns = Instructions();
        byte[] license = "GPL\0"u8.ToArray();
        int fd;
        fixed (Instruction* ip = insns)
        fixed (byte* lp = license)
        {
            BpfAttr load = default;
            load.ProgLoad.ProgType = (uint)Type;
            load.ProgLoad.InsnCnt = (uint)insns.Length;
            load.ProgLoad.Insns = (ulong)ip;
            load.ProgLoad.License = (ulong)lp;
            load.ProgLoad.ExpectedAttachType = ExpectedAttachType;
            load.ProgLoad.ProgFlags = ProgFlags;
            fd = target.Bpf(BpfCommand.ProgLoad, ref load);
        }
        if (fd < 0) return $"load {fd}";
        try
        {
            byte[] dataOut = new byte[DataOut];
            byte[] ctxOut = new byte[CtxOut];
            byte[]? ctxIn = CtxIn?.ToArray(); // a copy: a syscall program writes its context back into ctx_in
            fixed (byte* din = Data)
            fixed (byte* dout = dataOut)
            fixed (byte* cin = ctxIn)
            fixed (byte* cout = ctxOut)
            {
                BpfAttr attr = default;
                ref TestRunAttr t = ref attr.TestRun;
                t.ProgFd = (uint)fd;
                t.DataIn = (ulong)din;
                t.DataSizeIn = DataSizeIn ?? (uint)(Data?.Length ?? 0);
                t.DataOut = DataOut == 0 ? 0 : (ulong)dout;
                t.DataSizeOut = DataSizeOut;
                t.CtxIn = (ulong)cin;
                t.CtxSizeIn = (uint)(ctxIn?.Length ?? 0);
                t.CtxOut = CtxOut == 0 ? 0 : (ulong)cout;
                t.CtxSizeOut = (uint)CtxOut;
                t.Repeat = Repeat;
                t.Flags = Flags;
                t.Cpu = Cpu;
                t.BatchSize = BatchSize;
                int err = target.Bpf(BpfCommand.ProgTestRun, ref attr);
                var text = new StringBuilder();
                text.Append($"errno {err} retval 0x{t.Retval:x} data_size_out {t.DataSizeOut} ctx_size_out {t.CtxSizeOut}");
                int shown = (int)Math.Min(t.DataSizeOut, (uint)dataOut.Length);
                if (DataOut != 0 && err == 0)
                    text.Append($"\ndata_out {Convert.ToHexString(dataOut, 0, shown)}");
                if (CtxOut != 0 && err == 0)
                    text.Append($"\nctx_out {Convert.ToHexString(ctxOut)}");
                if (Type == BpfProgType.Syscall && ctxIn is not null)
                    text.Append($"\nctx_in after {Convert.ToHexString(ctxIn)}"); // a syscall program's context is written back
                return text.ToString();
            }
        }
        finally
        {
            target.Close(fd);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
