// Global functions with the argument kinds the verifier derives from BTF: the context, scalars, and pointers to
// memory of the pointee's size (which may be NULL unless tagged __arg_nonnull); each verified once on its own.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define __arg_nonnull __attribute__((btf_decl_tag("arg:nonnull")))

struct acc { __u64 sum; __u32 count; __u32 pad; };

__noinline int packet_length(struct xdp_md *ctx)
{
    return ctx->data_end - ctx->data;
}

__noinline int add_to(struct acc *a, int v)
{
    if (!a)
        return -1;
    a->sum += v;
    a->count++;
    return a->count;
}

__noinline int add_to_nonnull(struct acc *a __arg_nonnull, int v)
{
    a->sum += v * 2;
    return a->sum;
}

__noinline int scale(int x, int factor)
{
    return x * factor;
}

__noinline int twice_scaled(int x)
{
    return scale(x, 2) + scale(x, 3);               // 5x
}

SEC("xdp")
int xdp_args(struct xdp_md *ctx)
{
    struct acc a = {};
    int len = packet_length(ctx);                  // the packet's length
    add_to(&a, len);
    add_to(&a, 1);
    int none = add_to(0, 5);                       // -1
    add_to_nonnull(&a, 10);                        // sum = len + 1 + 20
    return a.sum + a.count * 1000 + (none == -1) * 10000 + twice_scaled(1) * 100000;   // len + 21 + 512000
}

__noinline int skb_len(struct __sk_buff *skb)
{
    return skb->len;
}

SEC("socket")
int socket_args(struct __sk_buff *skb)
{
    return skb_len(skb) + scale(3, 4);             // the packet's length + 12
}

char LICENSE[] SEC("license") = "GPL";
