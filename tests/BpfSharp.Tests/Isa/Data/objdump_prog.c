#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 4); __type(key, int); __type(value, long); } m SEC(".maps");
long g[4];
static __attribute__((noinline)) int sub(int x) { return x * 3 + 1; }
static int cb(__u32 i, void *ctx) { return 0; }
SEC("xdp") int prog(struct xdp_md *ctx) {
  int k = 0; long *v = bpf_map_lookup_elem(&m, &k);
  if (!v) return 1;
  __sync_fetch_and_add(v, 5);
  long old = __sync_fetch_and_add(v, ctx->ingress_ifindex);
  long o2 = __sync_val_compare_and_swap(v, 3, old);
  long o3 = __sync_lock_test_and_set(v, o2);
  __sync_fetch_and_or(v, 2); __sync_fetch_and_and(v, o3);
  int *p = (int*)v; __sync_fetch_and_xor(p, 7);
  int r = __sync_fetch_and_add(p, 9);
  g[1] = r;
  bpf_loop(4, cb, 0, 0);
  signed char sc = *(signed char*)v; short ss = *(short*)v;
  long x = (long)sc * ctx->data - ss;
  x = x / (long)ctx->data_end; x %= (long)ctx->data_meta;
  x = __builtin_bswap64(x) ^ __builtin_bswap16((short)x);
  x += 0x123456789ll;
  if ((int)x > 5) x = -x;
  if (x & 8) x >>= 3;
  return sub(x) + (int)(x >> 7);
}
char LICENSE[] SEC("license") = "GPL";
