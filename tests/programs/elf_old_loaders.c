// The conventions of loaders from before libbpf 1.0, which old objects still carry:
// - a `maps` section of samples/bpf's 28-byte bpf_load_map_def (inner_map_idx names a map-in-map's inner map);
// - section names libbpf 0.x matched by prefix only: "socket1" (a socket filter), "xdp_legacy" (XDP).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct bpf_load_map_def {
    unsigned int type;
    unsigned int key_size;
    unsigned int value_size;
    unsigned int max_entries;
    unsigned int map_flags;
    unsigned int inner_map_idx;
    unsigned int numa_node;
};

struct bpf_load_map_def SEC("maps") counters = {
    .type = BPF_MAP_TYPE_ARRAY,
    .key_size = sizeof(__u32),
    .value_size = sizeof(__u64),
    .max_entries = 2,
};

struct bpf_load_map_def SEC("maps") tables = {
    .type = BPF_MAP_TYPE_ARRAY_OF_MAPS,
    .key_size = sizeof(__u32),
    .max_entries = 4,
    .inner_map_idx = 0, /* `counters` is the template */
};

SEC("socket1")
int count_in_table(struct __sk_buff *skb)
{
    __u32 table = 1, slot = 0;
    void *inner = bpf_map_lookup_elem(&tables, &table);
    if (!inner)
        return 0;
    __u64 *v = bpf_map_lookup_elem(inner, &slot);
    if (v)
        __sync_fetch_and_add(v, skb->len);
    return 0;
}

SEC("xdp_legacy")
int count_frames(struct xdp_md *ctx)
{
    __u32 slot = 1;
    __u64 *v = bpf_map_lookup_elem(&counters, &slot);
    if (v)
        __sync_fetch_and_add(v, 1);
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
