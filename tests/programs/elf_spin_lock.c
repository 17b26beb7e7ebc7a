// A map value guarded by a bpf_spin_lock (its BTF tells the kernel where the lock is).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct counter {
    struct bpf_spin_lock lock;
    __u64 packets;
};

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct counter);
} counters SEC(".maps");

SEC("tc")
int locked_count(struct __sk_buff *skb)
{
    __u32 key = 0;
    struct counter *c = bpf_map_lookup_elem(&counters, &key);
    if (!c)
        return 0;
    bpf_spin_lock(&c->lock);
    c->packets++;
    bpf_spin_unlock(&c->lock);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
