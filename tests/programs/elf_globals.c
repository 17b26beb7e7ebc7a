// Global data in every section libbpf maps: .data, .rodata (a const volatile the loader may rewrite), .bss,
// and a custom .data.custom section. The program bumps counters and returns limit + the initial .data value.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

int runs = 7;                          // .data
const volatile int limit = 100;        // .rodata, rewritten before load by the tests
unsigned long long total;              // .bss
int custom SEC(".data.custom") = 3;    // its own map

SEC("xdp")
int globals(struct xdp_md *ctx)
{
    int base = runs;
    runs++;
    total += limit;
    custom *= 2;
    return limit + base;
}

char LICENSE[] SEC("license") = "GPL";
