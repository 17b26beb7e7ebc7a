// Static subprograms in .text shared by two programs of different sections, one calling another.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static __noinline int square(int x) { return x * x; }
static __noinline int sum_of_squares(int a, int b) { return square(a) + square(b); }

SEC("xdp")
int first(struct xdp_md *ctx) { return sum_of_squares(3, 4); }          // 25

SEC("socket")
int second(struct __sk_buff *skb) { return square(5) + sum_of_squares(1, 2); }  // 30

char LICENSE[] SEC("license") = "GPL";
