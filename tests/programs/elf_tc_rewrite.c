// A tc program rewriting the IPv4 TTL with skb_store_bytes and fixing the header checksum with l3_csum_replace.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define TTL_OFF (ETH_HLEN + __builtin_offsetof(struct iphdr, ttl))
#define CSUM_OFF (ETH_HLEN + __builtin_offsetof(struct iphdr, check))

SEC("tc")
int set_ttl(struct __sk_buff *skb)
{
    __u8 old_ttl, new_ttl = 1;
    if (bpf_skb_load_bytes(skb, TTL_OFF, &old_ttl, 1) < 0)
        return TC_ACT_OK;
    bpf_l3_csum_replace(skb, CSUM_OFF, bpf_htons(old_ttl << 8), bpf_htons(new_ttl << 8), 2);
    bpf_skb_store_bytes(skb, TTL_OFF, &new_ttl, 1, 0);
    skb->mark = old_ttl;
    return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
