// An array of maps whose slot 1 is filled at load time from the `values` initializer.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct inner_map {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u32);
} inner SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
    __uint(max_entries, 2);
    __type(key, __u32);
    __array(values, struct inner_map);
} outer SEC(".maps") = {
    .values = { [1] = &inner },
};

SEC("xdp")
int read_inner(struct xdp_md *ctx)
{
    __u32 slot = 1, zero = 0;
    void *map = bpf_map_lookup_elem(&outer, &slot);
    if (!map)
        return 100;            // slot empty
    __u32 *value = bpf_map_lookup_elem(map, &zero);
    return value ? *value : 200;
}

char LICENSE[] SEC("license") = "GPL";
