// Several programs in one section (libbpf's multi-program sections).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp") int pass(struct xdp_md *ctx) { return XDP_PASS; }
SEC("xdp") int drop(struct xdp_md *ctx) { return XDP_DROP; }
SEC("xdp") int tx(struct xdp_md *ctx) { return XDP_TX; }

char LICENSE[] SEC("license") = "Dual BSD/GPL";
