// XDP programs that change the frame: one pushes a 4-byte tag in front (adjust_head), one trims the tail.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int push_tag(struct xdp_md *ctx)
{
    if (bpf_xdp_adjust_head(ctx, -4))
        return XDP_ABORTED;
    void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
    if (data + 4 > end)
        return XDP_ABORTED;
    *(__u32 *)data = 0xfeedf00d;
    return XDP_TX;
}

SEC("xdp")
int trim_tail(struct xdp_md *ctx)
{
    return bpf_xdp_adjust_tail(ctx, -8) ? XDP_ABORTED : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
