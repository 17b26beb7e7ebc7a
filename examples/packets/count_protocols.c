// The demo's packet program: counts packets per EtherType and per IP protocol (IPv4 and IPv6), and drops
// ICMP echo requests. Build: see build.sh (clang-19 -O2 -g -target bpf); the .o is checked in.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 64);
    __type(key, __u32);      // EtherType, host order (2048 IPv4, 34525 IPv6, 2054 ARP)
    __type(value, __u64);    // packets
} ether_types SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 256);
    __type(key, __u32);      // IP protocol number (1 ICMP, 6 TCP, 17 UDP, 58 ICMPv6)
    __type(value, __u64);    // packets
} ip_protocols SEC(".maps");

struct icmp_head { __u8 type, code; __u16 checksum; };   // the start of every ICMP message (RFC 792)
#define ICMP_ECHO_REQUEST 8
#define PROTO_ICMP 1

static __always_inline void bump(void *map, __u32 key)
{
    __u64 one = 1, *count = bpf_map_lookup_elem(map, &key);
    if (count)
        __sync_fetch_and_add(count, 1);
    else
        bpf_map_update_elem(map, &key, &one, BPF_NOEXIST);
}

SEC("xdp")
int count_protocols(struct xdp_md *ctx)
{
    void *data = (void *)(long)ctx->data, *data_end = (void *)(long)ctx->data_end;
    struct ethhdr *eth = data;
    if ((void *)(eth + 1) > data_end)
        return XDP_DROP;
    __u16 proto = bpf_ntohs(eth->h_proto);
    bump(&ether_types, proto);

    __u32 ip_proto;
    if (proto == ETH_P_IP) {
        struct iphdr *ip = (void *)(eth + 1);
        if ((void *)(ip + 1) > data_end)
            return XDP_DROP;
        ip_proto = ip->protocol;
        if (ip_proto == PROTO_ICMP) {
            struct icmp_head *icmp = (void *)ip + ip->ihl * 4;
            if ((void *)(icmp + 1) <= data_end && icmp->type == ICMP_ECHO_REQUEST) {
                __u64 *c = bpf_map_lookup_elem(&ip_protocols, &ip_proto);
                if (c) *c += 1;
                return XDP_DROP;
            }
        }
    } else if (proto == ETH_P_IPV6) {
        struct ipv6hdr *ip6 = (void *)(eth + 1);
        if ((void *)(ip6 + 1) > data_end)
            return XDP_DROP;
        ip_proto = ip6->nexthdr;
    } else {
        return XDP_PASS;
    }
    __u64 *c = bpf_map_lookup_elem(&ip_protocols, &ip_proto);
    if (c) *c += 1;
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
