// A subprogram that tail-calls: the target replaces only the subprogram's frame (as the 6.18 kernel runs it on
// x86-64), its return value goes back to the subprogram's caller, which goes on.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

int target(struct __sk_buff *skb);

struct {
    __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
    __uint(max_entries, 2);
    __uint(key_size, sizeof(__u32));
    __array(values, int (void *));
} jump_table SEC(".maps") = {
    .values = { [0] = (void *)&target },
};

SEC("socket")
int target(struct __sk_buff *skb) { return 42; }

static __attribute__((noinline)) int tail(struct __sk_buff *skb, __u32 slot)
{
    volatile int ret = 7;      // volatile: in C the call always returns, so clang would fold the 7 into the caller
    bpf_tail_call(skb, &jump_table, slot);
    return ret;                // only if the slot is empty
}

SEC("socket")
int entry(struct __sk_buff *skb)
{
    int first = tail(skb, 0);  // 42: slot 0 holds target
    return first * 100 + tail(skb, 1); // slot 1 is empty: 7
}

char LICENSE[] SEC("license") = "GPL";
