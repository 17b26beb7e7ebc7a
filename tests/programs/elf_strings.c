// String literals (bpf_printk's format in .rodata, a literal argument in .rodata.str1.1).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int strings(struct xdp_md *ctx)
{
    bpf_printk("hello %s %d", "world", 7);
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
