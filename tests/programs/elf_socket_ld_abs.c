// A socket filter reading the packet with LD_ABS (the classic-BPF way): keep IPv4 packets whole, drop others.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

unsigned long long load_half(void *skb, unsigned long long off) asm("llvm.bpf.load.half");

SEC("socket")
int ipv4_only(struct __sk_buff *skb)
{
    return load_half(skb, 12) == ETH_P_IP ? -1 : 0;
}

char LICENSE[] SEC("license") = "GPL";
