// Direct packet access in XDP, tc and cgroup/skb programs: Ethernet + IPv4 headers checked against data_end.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

static __always_inline int ip_protocol(void *data, void *data_end)
{
    struct ethhdr *eth = data;
    if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
        return -1;
    struct iphdr *ip = (void *)(eth + 1);
    if ((void *)(ip + 1) > data_end)
        return -1;
    return ip->protocol;
}

SEC("xdp")
int xdp_udp_drop(struct xdp_md *ctx)
{
    return ip_protocol((void *)(long)ctx->data, (void *)(long)ctx->data_end) == 17 ? XDP_DROP : XDP_PASS;
}

SEC("tc")
int tc_mark(struct __sk_buff *skb)
{
    int proto = ip_protocol((void *)(long)skb->data, (void *)(long)skb->data_end);
    if (proto < 0) return TC_ACT_OK;
    skb->mark = proto;
    return TC_ACT_OK;
}

SEC("cgroup_skb/ingress")
int cg_allow(struct __sk_buff *skb) { return skb->len > 0; }

char LICENSE[] SEC("license") = "GPL";
