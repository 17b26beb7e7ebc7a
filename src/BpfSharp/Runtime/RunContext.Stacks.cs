namespace BpfSharp.Runtime;

// The call stacks bpf_get_stackid and bpf_get_stack report (the kernel walks them from the registers at the probe).
public sealed partial class RunContext
{
    /// <summary>
    /// The kernel stack of the event the program runs for, innermost frame first, as instruction pointers:
    /// what bpf_get_stackid / bpf_get_stack return without BPF_F_USER_STACK. Empty (the default) means no stack
    /// can be taken: bpf_get_stackid is -EFAULT, bpf_get_stack copies nothing. Set by the host before a run;
    /// <see cref="Reset"/> clears it.
    /// </summary>
    public ReadOnlyMemory<ulong> KernelStack { get; set; }

    /// <summary>The user stack of the current task, innermost frame first (BPF_F_USER_STACK); empty by default, as <see cref="KernelStack"/>.</summary>
    public ReadOnlyMemory<ulong> UserStack { get; set; }
}
