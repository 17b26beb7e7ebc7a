// BTF-defined maps as cilium/ebpf's bpf2go examples write them: a ring buffer and a perf event array that name
// their record type with __type(value, ...) (no value of their own), and a pinning value of the loader's own.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct event {
    __u32 len;
    __u32 ifindex;
    __u8 tag[20];
};

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 1 << 12);
    __type(value, struct event);
} records SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
    __type(value, struct event);
} samples SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
    __uint(pinning, 16); /* Cilium's CILIUM_PIN_REPLACE */
} replaced SEC(".maps");

SEC("tc")
int report(struct __sk_buff *skb)
{
    struct event e = { .len = skb->len, .ifindex = skb->ifindex };
    struct event *r = bpf_ringbuf_reserve(&records, sizeof(*r), 0);
    if (r) {
        *r = e;
        bpf_ringbuf_submit(r, 0);
    }
    bpf_perf_event_output(skb, &samples, BPF_F_CURRENT_CPU, &e, sizeof(e));
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
