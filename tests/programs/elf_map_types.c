// BTF-defined maps of several types, used through their helpers.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 8); __type(key, __u32); __type(value, __u64); } hash SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 2); __type(key, __u32); __type(value, __u64); } percpu SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_LRU_HASH); __uint(max_entries, 8); __type(key, __u32); __type(value, __u32); } lru SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_QUEUE); __uint(max_entries, 4); __uint(value_size, sizeof(__u32)); } queue SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_BLOOM_FILTER); __uint(max_entries, 16); __uint(value_size, sizeof(__u32)); __uint(map_extra, 3); } bloom SEC(".maps");

SEC("xdp")
int use_maps(struct xdp_md *ctx)
{
    __u32 k = 1, v = 9;
    __u64 big = 5;
    bpf_map_update_elem(&hash, &k, &big, BPF_ANY);
    __u64 *pc = bpf_map_lookup_elem(&percpu, &k);
    if (pc) *pc += 1;
    bpf_map_update_elem(&lru, &k, &v, BPF_ANY);
    bpf_map_push_elem(&queue, &v, 0);
    bpf_map_push_elem(&bloom, &v, 0);
    __u64 *h = bpf_map_lookup_elem(&hash, &k);
    return h ? *h + (bpf_map_peek_elem(&bloom, &v) == 0) : 0;   // 6
}

char LICENSE[] SEC("license") = "GPL";
