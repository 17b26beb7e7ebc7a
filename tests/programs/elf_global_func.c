// A global (non-static) function in .text: the kernel verifies it once on its own against its BTF signature
// (scalar arguments here), and each call is checked against that signature only.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__noinline int clamp_add(int a, int b)
{
    int sum = a + b;
    return sum > 1000 ? 1000 : sum;
}

SEC("xdp")
int use_global(struct xdp_md *ctx)
{
    return clamp_add(ctx->ingress_ifindex, 41);   // loopback is ifindex 1: 42
}

char LICENSE[] SEC("license") = "GPL";
