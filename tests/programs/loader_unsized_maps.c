// Maps whose size the object leaves to its user-space loader, as bcc's libbpf-tools declare them (profile,
// offcputime): a hash without max_entries (bpf_map__set_max_entries before load) and a stack trace map with
// only its key size (bpf_map__set_value_size and bpf_map__set_max_entries before load). A kprobe counts
// kernel stacks by id.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __type(key, __u32);
    __type(value, __u64);
} counts SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_STACK_TRACE);
    __uint(key_size, sizeof(__u32));
} stackmap SEC(".maps");

SEC("kprobe/do_nanosleep")
int count_stacks(void *ctx)
{
    long id = bpf_get_stackid(ctx, &stackmap, 0);
    if (id < 0)
        return 0;
    __u32 key = id;
    __u64 one = 1, *count = bpf_map_lookup_elem(&counts, &key);
    if (count)
        __sync_fetch_and_add(count, 1);
    else
        bpf_map_update_elem(&counts, &key, &one, BPF_NOEXIST);
    return 0;
}

char _license[] SEC("license") = "GPL";
