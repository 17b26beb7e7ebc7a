// A map whose value holds a bpf_spin_lock, for the BTF reader tests: the .BTF section describes
// struct value { int a; struct bpf_spin_lock lock; long b; } (lock at byte 4), the map definition,
// the program's FUNC/FUNC_PROTO, and the .maps and license DATASECs. Self-contained: no headers.
typedef unsigned int __u32;

struct bpf_spin_lock {
    __u32 val;
};

struct value {
    int a;
    struct bpf_spin_lock lock;
    long b;
};

enum map_kind { MAP_HASH = 1 };

// The BTF-defined map convention of libbpf: __uint(name, val) is int (*name)[val], __type(name, T) is T *name.
struct {
    int (*type)[MAP_HASH];
    int (*max_entries)[16];
    int *key;
    struct value *value;
} values __attribute__((section(".maps"), used));

static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *)1;
static long (*bpf_spin_lock)(struct bpf_spin_lock *lock) = (void *)93;
static long (*bpf_spin_unlock)(struct bpf_spin_lock *lock) = (void *)94;

__attribute__((section("socket"), used))
int bump(void *ctx)
{
    int key = 0;
    struct value *v = bpf_map_lookup_elem(&values, &key);
    if (!v)
        return 0;
    bpf_spin_lock(&v->lock);
    v->b += 1;
    bpf_spin_unlock(&v->lock);
    return 0;
}

char LICENSE[] __attribute__((section("license"), used)) = "GPL";
