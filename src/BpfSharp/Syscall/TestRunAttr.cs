using System.Runtime.InteropServices;

namespace BpfSharp.Syscall;

/// <summary>The <c>test</c> view of <c>union bpf_attr</c> (BPF_PROG_TEST_RUN).</summary>
[StructLayout(LayoutKind.Explicit, Size = 80)]
public struct TestRunAttr
{
    /// <summary>End of the last field (kernel: BPF_PROG_TEST_RUN_LAST_FIELD test.batch_size).</summary>
    internal const int End = 76;

    /// <summary>prog_fd.</summary>
    [FieldOffset(0)] public uint ProgFd;
    /// <summary>retval (out): the program's return value (low 32 bits).</summary>
    [FieldOffset(4)] public uint Retval;
    /// <summary>data_size_in: length of data_in.</summary>
    [FieldOffset(8)] public uint DataSizeIn;
    /// <summary>data_size_out: in, the size of data_out (0 = unbounded); out, the size of the packet after the run.</summary>
    [FieldOffset(12)] public uint DataSizeOut;
    /// <summary>data_in: address of the input packet.</summary>
    [FieldOffset(16)] public ulong DataIn;
    /// <summary>data_out: address that receives the packet after the run, or 0.</summary>
    [FieldOffset(24)] public ulong DataOut;
    /// <summary>repeat: number of runs (0 means 1).</summary>
    [FieldOffset(32)] public uint Repeat;
    /// <summary>duration (out): mean time of one run in ns.</summary>
    [FieldOffset(36)] public uint Duration;
    /// <summary>ctx_size_in: length of ctx_in.</summary>
    [FieldOffset(40)] public uint CtxSizeIn;
    /// <summary>ctx_size_out: in, the size of ctx_out; out, the size of the context after the run.</summary>
    [FieldOffset(44)] public uint CtxSizeOut;
    /// <summary>ctx_in: address of the input context, or 0.</summary>
    [FieldOffset(48)] public ulong CtxIn;
    /// <summary>ctx_out: address that receives the context after the run, or 0.</summary>
    [FieldOffset(56)] public ulong CtxOut;
    /// <summary>flags: BPF_F_TEST_RUN_ON_CPU, ...</summary>
    [FieldOffset(64)] public uint Flags;
    /// <summary>cpu: the CPU to run on (with BPF_F_TEST_RUN_ON_CPU).</summary>
    [FieldOffset(68)] public uint Cpu;
    /// <summary>batch_size (XDP live frames).</summary>
    [FieldOffset(72)] public uint BatchSize;
}
