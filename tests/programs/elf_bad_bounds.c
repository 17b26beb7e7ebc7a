// Rejected on purpose: the bounds check covers one byte, the read is at byte 12. The verifier's log shows the
// source lines (line_info) before the instructions, as the kernel's does.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int short_check(struct xdp_md *ctx)
{
    void *data = (void *)(long)ctx->data;
    void *data_end = (void *)(long)ctx->data_end;
    struct ethhdr *eth = data;
    if (data + 1 > data_end)
        return XDP_DROP;
    return eth->h_proto == 8 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
