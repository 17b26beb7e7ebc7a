// A ring buffer and a perf event array fed by an XDP program: one event per frame (length and the first
// bytes), reserved and submitted, or discarded when the frame is shorter than an Ethernet header; a
// bpf_ringbuf_output summary; the same event through bpf_perf_event_output to the current CPU's buffer.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct event {
    __u32 len;
    __u32 seq;
    __u8 head[16];
};

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 4096);
} events SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
    __uint(key_size, sizeof(__u32));
    __uint(value_size, sizeof(__u32));
} perf_events SEC(".maps");

__u32 seq = 0;

SEC("xdp")
int xdp_events(struct xdp_md *ctx)
{
    void *data = (void *)(long)ctx->data;
    void *data_end = (void *)(long)ctx->data_end;
    __u32 len = data_end - data;
    struct event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
    if (!e)
        return XDP_PASS;
    e->len = len;
    e->seq = __sync_fetch_and_add(&seq, 1);
    if (data + 16 > data_end) {
        bpf_ringbuf_discard(e, 0);
        return XDP_PASS;
    }
    __builtin_memcpy(e->head, data, 16);
    bpf_perf_event_output(ctx, &perf_events, BPF_F_CURRENT_CPU, e, sizeof(*e));
    bpf_ringbuf_submit(e, 0);
    __u64 avail = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
    bpf_ringbuf_output(&events, &avail, sizeof(avail), 0);
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
