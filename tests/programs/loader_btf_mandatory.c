// The BTF of loader_btf_optional.c (a FUNC whose FUNC_PROTO names no argument, which the kernel refuses) in an
// object with a .struct_ops section: libbpf's kernel_needs_btf, so the object cannot load without its BTF
// ("BTF is mandatory, can't proceed").
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#pragma clang diagnostic ignored "-Wc23-extensions"

__attribute__((noinline)) int scaled(int, int len)
{
    return len * 2;
}

SEC("struct_ops/init")
int demo_init(unsigned long long *ctx)
{
    return scaled(0, 1);
}

struct demo_ops {
    int (*init)(unsigned long long *ctx);
};

SEC(".struct_ops")
struct demo_ops demo = {
    .init = demo_init,
};

char _license[] SEC("license") = "GPL";
