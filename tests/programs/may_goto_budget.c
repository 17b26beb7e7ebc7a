// Loops that only may_goto ends (the can_loop macro of the kernel's bpf_experimental.h, defined as in
// elf_may_goto.c): with the counted may_goto they run exactly BPF_MAX_LOOPS (8 * 1024 * 1024) times per function
// invocation. The x86-64 kernel's may_goto is timed instead, so the kernel's count differs: not an elf_*.o, which
// ElfKernelTests compares with the kernel.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define can_loop                                                        \
    ({ __label__ l_break, l_continue;                                   \
    int ret = 1;                                                        \
    asm volatile goto("1:.byte 0xe5;"                                   \
                      ".byte 0;"                                        \
                      ".long ((%l[l_break] - 1b - 8) / 8) & 0xffff;"    \
                      ".short 0"                                        \
                      :::: l_break);                                    \
    goto l_continue;                                                    \
    l_break: ret = 0;                                                   \
    l_continue:;                                                        \
    ret;                                                                \
    })

static __attribute__((noinline)) unsigned int spend(void)
{
    unsigned int n = 0;
    while (can_loop)
        n++;
    return n;
}

// The main program's loop, then a callee's: each has a budget of its own.
SEC("xdp")
int spend_budget(struct xdp_md *ctx)
{
    unsigned int n = 0;
    while (can_loop)
        n++;
    return n + spend();             // 2 * 8388608 (a comparison of the two would make them precise: no convergence)
}

char LICENSE[] SEC("license") = "GPL";
