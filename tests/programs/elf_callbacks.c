// Callbacks: bpf_loop and bpf_for_each_map_elem calling static subprograms (lddw BPF_PSEUDO_FUNC with BTF func_info),
// the callback's context on the caller's stack, early stops, nested loops, and a callback inside a global function.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 4); __type(key, __u32); __type(value, __u64); } values SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 8); __type(key, __u32); __type(value, __u64); } table SEC(".maps");

struct sum_ctx { __u64 sum; __u64 calls; };

static long add_index(__u64 index, void *data)
{
    struct sum_ctx *c = data;
    c->sum += index;
    c->calls++;
    return 0;
}

SEC("xdp")
int loop_sum(struct xdp_md *ctx)
{
    struct sum_ctx c = {};
    long n = bpf_loop(10, add_index, &c, 0);
    return c.sum + n * 100 + c.calls * 1000;       // 45 + 1000 + 10000 = 11045
}

static long stop_at_five(__u64 index, void *data)
{
    *(__u64 *)data = index;
    return index == 5;
}

SEC("xdp")
int loop_stop(struct xdp_md *ctx)
{
    __u64 last = 0;
    long n = bpf_loop(100, stop_at_five, &last, 0);
    return n * 10 + last;                          // 6 calls, the last index 5: 65
}

static long inner(__u64 index, void *data)
{
    (*(__u64 *)data)++;
    return 0;
}

static long outer(__u64 index, void *data)
{
    bpf_loop(3, inner, data, 0);
    return 0;
}

SEC("xdp")
int loop_nested(struct xdp_md *ctx)
{
    __u64 count = 0;
    bpf_loop(4, outer, &count, 0);
    return count;                                  // 12
}

static long sum_value(void *map, __u32 *key, __u64 *value, void *data)
{
    struct sum_ctx *c = data;
    c->sum += *value;
    c->calls++;
    return 0;
}

SEC("xdp")
int for_each_array(struct xdp_md *ctx)
{
    for (__u32 i = 0; i < 4; i++) {
        __u64 *v = bpf_map_lookup_elem(&values, &i);
        if (v)
            *v = i + 1;
    }
    struct sum_ctx c = {};
    long n = bpf_for_each_map_elem(&values, sum_value, &c, 0);
    return c.sum + c.calls * 100 + n * 1000;       // 10 + 400 + 4000 = 4410
}

static long sum_keys(void *map, __u32 *key, __u64 *value, void *data)
{
    *(__u64 *)data += *key;
    *value += 1;
    return *key == 100;
}

SEC("xdp")
int for_each_hash(struct xdp_md *ctx)
{
    __u64 one = 1;
    for (__u32 k = 1; k <= 3; k++)
        bpf_map_update_elem(&table, &k, &one, BPF_ANY);
    __u64 keys = 0;
    long n = bpf_for_each_map_elem(&table, sum_keys, &keys, 0);
    __u32 k = 2;
    __u64 *v = bpf_map_lookup_elem(&table, &k);
    return keys + n * 10 + (v ? *v : 0) * 100;     // 6 + 30 + 200 = 236
}

__noinline int count_to(int limit)
{
    __u64 count = 0;
    bpf_loop(limit & 15, inner, &count, 0);
    return count;
}

SEC("xdp")
int loop_in_global(struct xdp_md *ctx)
{
    return count_to(7) + count_to(20);             // 7 + 4 = 11
}

char LICENSE[] SEC("license") = "GPL";
