// CO-RE: the program reads a `struct conf` through relocatable accesses (preserve_access_index), so the loader moves
// each access to where the target BTF (elf_core_target.c's layout in the tests) puts the field.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

enum conf_mode { MODE_OFF = 0, MODE_ON = 1 };

struct conf {
    int a;
    unsigned int b;
    unsigned int flags : 3;
    unsigned int level : 5;
} __attribute__((preserve_access_index));

struct conf_missing {          // a type the target does not have
    int x;
} __attribute__((preserve_access_index));

struct blob { char bytes[64]; };

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct blob);
} confs SEC(".maps");

SEC("xdp")
int read_conf(struct xdp_md *ctx)
{
    __u32 key = 0;
    struct blob *v = bpf_map_lookup_elem(&confs, &key);
    if (!v)
        return 0;
    struct conf *c = (void *)v;
    int level = BPF_CORE_READ_BITFIELD(c, level);
    return c->a * 1000 + c->b * 100 + level * 10
        + bpf_core_field_exists(c->b)
        + (bpf_core_type_exists(struct conf_missing) ? 5000000 : 0)
        + bpf_core_field_size(c->b) * 100000
        + bpf_core_enum_value(enum conf_mode, MODE_ON) * 1000000;
}

char LICENSE[] SEC("license") = "GPL";
