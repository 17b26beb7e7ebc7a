// A hash of maps whose inner maps user space adds; the program counts into the inner map for its key.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct inner {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, __u64);
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
    __uint(max_entries, 8);
    __type(key, __u32);
    __array(values, struct inner);
} tenants SEC(".maps");

SEC("xdp")
int count_tenant(struct xdp_md *ctx)
{
    __u32 tenant = 7, slot = 0;
    void *map = bpf_map_lookup_elem(&tenants, &tenant);
    if (!map)
        return XDP_DROP;
    __u64 *n = bpf_map_lookup_elem(map, &slot);
    if (n)
        __sync_fetch_and_add(n, 1);
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
