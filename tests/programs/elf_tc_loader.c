// The conventions of iproute2's tc loader and of Cilium's objects:
// - a `maps` section of iproute2's 36-byte struct bpf_elf_map, where a map-in-map names its inner map by id;
// - a static function in a program section, which cilium/ebpf loads as a program (libbpf refuses it).
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

struct bpf_elf_map {
    __u32 type;
    __u32 size_key;
    __u32 size_value;
    __u32 max_elem;
    __u32 flags;
    __u32 id;
    __u32 pinning;
    __u32 inner_id;
    __u32 inner_idx;
};

struct bpf_elf_map SEC("maps") per_port = {
    .type = BPF_MAP_TYPE_HASH_OF_MAPS,
    .size_key = sizeof(__u16),
    .size_value = sizeof(__u32),
    .max_elem = 8,
    .pinning = 2, /* PIN_GLOBAL_NS: iproute2's own namespace */
    .inner_id = 42,
};

struct bpf_elf_map SEC("maps") port_template = {
    .type = BPF_MAP_TYPE_ARRAY,
    .size_key = sizeof(__u32),
    .size_value = sizeof(__u32),
    .max_elem = 1,
    .id = 42,
    .inner_idx = -1,
};

SEC("classifier_ingress")
int by_port(struct __sk_buff *skb)
{
    __u16 port = 80;
    __u32 zero = 0;
    void *inner = bpf_map_lookup_elem(&per_port, &port);
    if (!inner)
        return TC_ACT_OK;
    __u32 *v = bpf_map_lookup_elem(inner, &zero);
    return v && *v ? TC_ACT_SHOT : TC_ACT_OK;
}

SEC("tc")
static __attribute__((used)) int static_tail(struct __sk_buff *skb)
{
    return skb->len > 100 ? TC_ACT_SHOT : TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
