// An object whose BTF the kernel refuses and libbpf's parser takes: a global function with an unnamed
// parameter (C23) has a FUNC whose FUNC_PROTO names no argument, and the kernel's btf_func_check refuses
// that ("Invalid arg#1"). libbpf loads such an object without its BTF ("BTF is optional, ignoring"): the
// map without key and value type ids, the program without func_info and line_info (the global function
// is then verified as a static one).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#pragma clang diagnostic ignored "-Wc23-extensions"

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} lengths SEC(".maps");

__attribute__((noinline)) int scaled(int, int len)
{
    return len * 2;
}

SEC("socket")
int btf_optional(struct __sk_buff *skb)
{
    __u32 key = 0;
    __u64 *total = bpf_map_lookup_elem(&lengths, &key);
    if (total)
        __sync_fetch_and_add(total, skb->len);
    return scaled(0, skb->len);
}

char _license[] SEC("license") = "GPL";
