// A socket filter that keeps at most the first 42 bytes of each packet (the return value is the length kept).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("socket")
int snap(struct __sk_buff *skb)
{
    return skb->len > 42 ? 42 : skb->len;
}

char LICENSE[] SEC("license") = "GPL";
