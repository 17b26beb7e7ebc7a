// The "target kernel" of elf_core.c's CO-RE test: the same types laid out differently (a field moved, one widened,
// bitfields reordered, another enum value); only its BTF is used.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

enum conf_mode { MODE_OFF = 0, MODE_ON = 4 };

struct conf {
    long long pad;
    unsigned long long b;
    int a;
    unsigned int level : 5;
    unsigned int flags : 3;
};

struct conf described SEC(".data.types");
enum conf_mode mode SEC(".data.types");

char LICENSE[] SEC("license") = "GPL";
