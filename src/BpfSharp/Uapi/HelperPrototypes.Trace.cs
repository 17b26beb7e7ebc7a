using static BpfSharp.Uapi.BpfTypeFlag;
using static BpfSharp.Uapi.HelperArgType;
using static BpfSharp.Uapi.HelperReturnType;

namespace BpfSharp.Uapi;

// The tracing helpers that kprobe, tracepoint, raw tracepoint and perf event programs call beyond the main
// table, and the task and cgroup storage helpers every type may call, as Linux 6.18 declares them
// (kernel/trace/bpf_trace.c, kernel/bpf/stackmap.c, bpf_task_storage.c, bpf_cgrp_storage.c, task_iter.c).
// The per-type variants of get_stackid, get_stack, get_func_ip and get_attach_cookie all share these shapes.
public static partial class HelperPrototypes
{
    private const int BPF_FUNC_get_stackid = 27;
    private const int BPF_FUNC_perf_prog_read_value = 56;
    private const int BPF_FUNC_get_stack = 67;
    private const int BPF_FUNC_read_branch_records = 119;
    private const int BPF_FUNC_get_task_stack = 141;
    private const int BPF_FUNC_task_storage_get = 156;
    private const int BPF_FUNC_task_storage_delete = 157;
    private const int BPF_FUNC_get_func_ip = 173;
    private const int BPF_FUNC_get_attach_cookie = 174;
    private const int BPF_FUNC_find_vma = 180;
    private const int BPF_FUNC_cgrp_storage_get = 210;
    private const int BPF_FUNC_cgrp_storage_delete = 211;

    private static HelperPrototype[] TraceTable() =>
    [
        new(BPF_FUNC_get_stackid, RET_INTEGER, gplOnly: true, ARG_PTR_TO_CTX, ARG_CONST_MAP_PTR, ARG_ANYTHING),
        new(BPF_FUNC_perf_prog_read_value, RET_INTEGER, gplOnly: true, ARG_PTR_TO_CTX, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE),
        new(BPF_FUNC_get_stack, RET_INTEGER, gplOnly: true, ARG_PTR_TO_CTX, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING),
        new(BPF_FUNC_read_branch_records, RET_INTEGER, gplOnly: true, ARG_PTR_TO_CTX, ARG_PTR_TO_MEM_OR_NULL | MEM_WRITE, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING),
        new(BPF_FUNC_get_task_stack, RET_INTEGER, gplOnly: false, ARG_PTR_TO_BTF_ID, ARG_PTR_TO_UNINIT_MEM, ARG_CONST_SIZE_OR_ZERO, ARG_ANYTHING),
        new(BPF_FUNC_task_storage_get, RET_PTR_TO_MAP_VALUE_OR_NULL, gplOnly: false, ARG_CONST_MAP_PTR, ARG_PTR_TO_BTF_ID_OR_NULL, ARG_PTR_TO_MAP_VALUE_OR_NULL, ARG_ANYTHING),
        new(BPF_FUNC_task_storage_delete, RET_INTEGER, gplOnly: false, ARG_CONST_MAP_PTR, ARG_PTR_TO_BTF_ID_OR_NULL),
        new(BPF_FUNC_get_func_ip, RET_INTEGER, gplOnly: true, ARG_PTR_TO_CTX),
        new(BPF_FUNC_get_attach_cookie, RET_INTEGER, gplOnly: false, ARG_PTR_TO_CTX),
        new(BPF_FUNC_find_vma, RET_INTEGER, gplOnly: false, ARG_PTR_TO_BTF_ID, ARG_ANYTHING, ARG_PTR_TO_FUNC, ARG_PTR_TO_STACK_OR_NULL, ARG_ANYTHING),
        new(BPF_FUNC_cgrp_storage_get, RET_PTR_TO_MAP_VALUE_OR_NULL, gplOnly: false, ARG_CONST_MAP_PTR, ARG_PTR_TO_BTF_ID_OR_NULL, ARG_PTR_TO_MAP_VALUE_OR_NULL, ARG_ANYTHING),
        new(BPF_FUNC_cgrp_storage_delete, RET_INTEGER, gplOnly: false, ARG_CONST_MAP_PTR, ARG_PTR_TO_BTF_ID_OR_NULL),
    ];
}
