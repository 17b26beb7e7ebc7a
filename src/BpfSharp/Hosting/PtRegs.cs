using System.Runtime.InteropServices;

namespace BpfSharp.Hosting;

/// <summary>
/// <c>struct pt_regs</c> of x86-64 (arch/x86/include/asm/ptrace.h), the context of BPF_PROG_TYPE_KPROBE programs:
/// the registers at the probed point, which a host fills before it fires a kprobe <see cref="Hook{TContext}"/>.
/// libbpf's PT_REGS_PARM1..6 read <see cref="Di"/>, <see cref="Si"/>, <see cref="Dx"/>, <see cref="Cx"/>,
/// <see cref="R8"/>, <see cref="R9"/>; PT_REGS_RC reads <see cref="Ax"/>; PT_REGS_IP <see cref="Ip"/>.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct PtRegs
{
    /// <summary>r15 (offset 0).</summary>
    public ulong R15;
    /// <summary>r14 (8).</summary>
    public ulong R14;
    /// <summary>r13 (16).</summary>
    public ulong R13;
    /// <summary>r12 (24).</summary>
    public ulong R12;
    /// <summary>rbp (32).</summary>
    public ulong Bp;
    /// <summary>rbx (40).</summary>
    public ulong Bx;
    /// <summary>r11 (48).</summary>
    public ulong R11;
    /// <summary>r10 (56).</summary>
    public ulong R10;
    /// <summary>r9 (64), the sixth argument.</summary>
    public ulong R9;
    /// <summary>r8 (72), the fifth argument.</summary>
    public ulong R8;
    /// <summary>rax (80), the return value.</summary>
    public ulong Ax;
    /// <summary>rcx (88), the fourth argument.</summary>
    public ulong Cx;
    /// <summary>rdx (96), the third argument.</summary>
    public ulong Dx;
    /// <summary>rsi (104), the second argument.</summary>
    public ulong Si;
    /// <summary>rdi (112), the first argument.</summary>
    public ulong Di;
    /// <summary>orig_rax (120): the syscall number on syscall entry.</summary>
    public ulong OrigAx;
    /// <summary>rip (128).</summary>
    public ulong Ip;
    /// <summary>cs (136).</summary>
    public ulong Cs;
    /// <summary>rflags (144).</summary>
    public ulong Flags;
    /// <summary>rsp (152).</summary>
    public ulong Sp;
    /// <summary>ss (160).</summary>
    public ulong Ss;
}

/// <summary>
/// <c>struct bpf_perf_event_data</c> (include/uapi/linux/bpf_perf_event.h on x86-64), the context of
/// BPF_PROG_TYPE_PERF_EVENT programs: the registers at the sample, the sample period and the sampled address.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public struct BpfPerfEventData
{
    /// <summary>regs: the registers when the event fired.</summary>
    public PtRegs Regs;
    /// <summary>sample_period (offset 168).</summary>
    public ulong SamplePeriod;
    /// <summary>addr (offset 176).</summary>
    public ulong Addr;
}
