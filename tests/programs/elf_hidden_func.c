// A __hidden (visibility hidden) non-static function, as libbpf's usdt.bpf.h declares its helpers: libbpf makes its
// BTF linkage static, so the kernel verifies it inline with each caller, where its pointer argument is known to be
// the caller's stack (a global function would have to check it for NULL before the store).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__hidden __noinline int store_len(struct xdp_md *ctx, long *out)
{
    *out = (long)ctx->data_end - (long)ctx->data;
    return 0;
}

SEC("xdp")
int hidden_func(struct xdp_md *ctx)
{
    long len = 0;
    store_len(ctx, &len);
    return len > 0 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
