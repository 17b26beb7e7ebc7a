// may_goto (kernel 6.9) through the can_loop and cond_break macros of the kernel's bpf_experimental.h, defined
// here as that header does without compiler support: the raw instruction (BPF_JMP | BPF_JCOND = 0xe5, src_reg
// BPF_MAY_GOTO = 0, off = the jump to l_break in instructions, imm 0) in an asm goto. Every loop here ends by its
// own condition long before a may_goto budget runs out, so the kernel's timed may_goto (x86-64) and our counted one
// give the same results (ElfKernelTests compares them); may_goto_budget.c spends the budget.
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

#define cond_break                                                      \
    ({ __label__ l_break, l_continue;                                   \
    asm volatile goto("1:.byte 0xe5;"                                   \
                      ".byte 0;"                                        \
                      ".long ((%l[l_break] - 1b - 8) / 8) & 0xffff;"    \
                      ".short 0"                                        \
                      :::: l_break);                                    \
    goto l_continue;                                                    \
    l_break: break;                                                     \
    l_continue:;                                                        \
    })

// Sums 0..n-1 for the packet's length n: a bound the verifier cannot know, so only can_loop ends the walk.
SEC("xdp")
int sum_to_len(struct xdp_md *ctx)
{
    unsigned int n = ctx->data_end - ctx->data;
    unsigned int sum = 0;
    for (unsigned int i = 0; i < n && can_loop; i++)
        sum += i;
    return sum;                 // 2080 for a 65-byte packet
}

// Counts the halvings of 1000 times the packet's length down to 0 (a cond_break loop).
SEC("xdp")
int halvings(struct xdp_md *ctx)
{
    unsigned int n = (ctx->data_end - ctx->data) * 1000;
    int steps = 0;
    while (n) {
        cond_break;
        n >>= 1;
        steps++;
    }
    return steps;               // 16 for 65 bytes (65000 < 2^16), 17 for 71
}

// A subprogram with its own may_goto loop, called twice: each call ends by its own bound.
static __attribute__((noinline)) int triangle(unsigned int n)
{
    unsigned int sum = 0;
    for (unsigned int i = 1; i <= n && can_loop; i++)
        sum += i;
    return sum;
}

SEC("xdp")
int two_calls(struct xdp_md *ctx)
{
    unsigned int n = ctx->data_end - ctx->data;
    return triangle(n & 15) + triangle(n >> 4);     // triangle(1) + triangle(4) = 11 for 65 bytes
}

struct loop_ctx {
    unsigned int total;
    unsigned int len;
};

// A bpf_loop callback whose body loops with cond_break up to its index.
static int add_up_to(unsigned int index, void *data)
{
    struct loop_ctx *c = data;
    for (unsigned int i = 0; i < index; i++) {
        cond_break;
        c->total += i;
    }
    return 0;
}

SEC("xdp")
int in_callback(struct xdp_md *ctx)
{
    struct loop_ctx c = { .total = 0, .len = ctx->data_end - ctx->data };
    bpf_loop(c.len & 7, add_up_to, &c, 0);
    return c.total + 100;       // 100 for a 65-byte packet (one iteration, index 0); see the tests for others
}

char LICENSE[] SEC("license") = "GPL";
