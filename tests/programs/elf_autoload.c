// SEC("?...") marks a program libbpf does not load unless asked (autoload off).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp") int loaded(struct xdp_md *ctx) { return XDP_PASS; }
SEC("?xdp") int optional(struct xdp_md *ctx) { return XDP_DROP; }

char LICENSE[] SEC("license") = "GPL";
