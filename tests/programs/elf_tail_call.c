// A program array filled from its `values` initializer, and a tail call through it.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

int target(struct xdp_md *ctx);

struct {
    __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
    __uint(max_entries, 4);
    __uint(key_size, sizeof(__u32));
    __array(values, int (void *));
} jump_table SEC(".maps") = {
    .values = { [2] = (void *)&target },
};

SEC("xdp")
int target(struct xdp_md *ctx) { return 42; }

SEC("xdp")
int entry(struct xdp_md *ctx)
{
    bpf_tail_call(ctx, &jump_table, 2);
    return 1;                  // only if slot 2 is empty
}

char LICENSE[] SEC("license") = "GPL";
