// A legacy `maps` section of struct bpf_map_def entries (the layout from before BTF-defined maps).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct bpf_map_def {
    unsigned int type;
    unsigned int key_size;
    unsigned int value_size;
    unsigned int max_entries;
    unsigned int map_flags;
};

struct bpf_map_def SEC("maps") hits = {
    .type = BPF_MAP_TYPE_ARRAY,
    .key_size = sizeof(__u32),
    .value_size = sizeof(__u64),
    .max_entries = 4,
};

struct bpf_map_def SEC("maps") seen = {
    .type = BPF_MAP_TYPE_HASH,
    .key_size = sizeof(__u32),
    .value_size = sizeof(__u32),
    .max_entries = 16,
    .map_flags = BPF_F_NO_PREALLOC,
};

SEC("xdp")
int count(struct xdp_md *ctx)
{
    __u32 key = 2, one = 1;
    __u64 *v = bpf_map_lookup_elem(&hits, &key);
    if (v) __sync_fetch_and_add(v, 1);
    bpf_map_update_elem(&seen, &key, &one, BPF_ANY);
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
