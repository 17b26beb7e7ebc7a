// An LPM trie keyed by IPv4 prefix: the program looks up the packet's destination address.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct lpm_key { __u32 prefixlen; __u32 addr; };

struct {
    __uint(type, BPF_MAP_TYPE_LPM_TRIE);
    __uint(max_entries, 16);
    __type(key, struct lpm_key);
    __type(value, __u32);
    __uint(map_flags, BPF_F_NO_PREALLOC);
} routes SEC(".maps");

SEC("xdp")
int route(struct xdp_md *ctx)
{
    void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
    struct ethhdr *eth = data;
    struct iphdr *ip = (void *)(eth + 1);
    if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
        return XDP_PASS;
    struct lpm_key key = { .prefixlen = 32, .addr = ip->daddr };
    __u32 *verdict = bpf_map_lookup_elem(&routes, &key);
    return verdict ? *verdict : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
