// Tracing program types from their section names: kprobe, tracepoint, raw tracepoint, perf event.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

// x86-64's struct pt_regs up to the first argument register (di at byte 112).
struct x86_regs { unsigned long r15, r14, r13, r12, bp, bx, r11, r10, r9, r8, ax, cx, dx, si, di; };

SEC("kprobe/do_sys_openat2")
int on_open(struct x86_regs *regs) { return regs->di != 0; }

struct sys_enter_args { unsigned long long unused; long id; unsigned long args[6]; };

SEC("tracepoint/raw_syscalls/sys_enter")
int on_sys_enter(struct sys_enter_args *args) { return args->id == 0; }

SEC("raw_tp/sys_enter")
int on_raw(unsigned long long *ctx) { return ctx[1] == 59; }

SEC("perf_event")
int on_sample(void *ctx) { return (int)bpf_get_smp_processor_id() >= 0; }

char LICENSE[] SEC("license") = "GPL";
