// A loop clang cannot unroll or fold (its bound is a const volatile in .rodata): a back-edge the
// verifier walks once per iteration, the bound known from the frozen .rodata map.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile int iterations = 10;

SEC("xdp")
int loop(struct xdp_md *ctx)
{
    int sum = 0;
    for (int i = 1; i <= iterations; i++)
        sum += i;
    return sum;                 // 55 with the default bound
}

char LICENSE[] SEC("license") = "GPL";
