// __kconfig externs: libbpf fills them from the running kernel (version, CONFIG_* options); a weak one it cannot
// find reads 0.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern _Bool CONFIG_BPF_SYSCALL __kconfig __weak;
extern int CONFIG_BPFSHARP_NOT_AN_OPTION __kconfig __weak;

SEC("xdp")
int kernel_version(struct xdp_md *ctx) { return LINUX_KERNEL_VERSION >> 8; }   // major << 8 | minor

SEC("xdp")
int options(struct xdp_md *ctx) { return CONFIG_BPF_SYSCALL * 10 + CONFIG_BPFSHARP_NOT_AN_OPTION; }

char LICENSE[] SEC("license") = "GPL";
