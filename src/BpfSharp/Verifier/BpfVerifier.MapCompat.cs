
using BpfSharp.Uapi;
using static BpfSharp.Uapi.BpfMapType;
using H = BpfSharp.Verifier.HelperIds;

namespace BpfSharp.Verifier;

// kernel: check_map_func_compatibility: which helpers accept which map types, checked both ways.
public sealed partial class BpfVerifier
{
    private void CheckMapFuncCompatibility(Maps.MapAttributes? map, int funcId, string name)
    {
        if (map is null)
            return;
        if (!MapAllowsFunc(map.Type, funcId) || !FuncAllowsMap(funcId, map.Type))
            throw Fail(-Errno.EINVAL, Inv($"cannot pass map_type {(int)map.Type} into func {name}#{funcId}"));
        // kernel: allow_tail_call_in_subprogs: only a JIT that supports it mixes tail calls and bpf-to-bpf calls
        if (funcId == H.TailCall && _cfg.Subprogs.Length > 1 && !_opt.JitRequested)
            throw Fail(-Errno.EINVAL, "tail_calls are not allowed in non-JITed programs with bpf-to-bpf calls");
    }

    private static bool MapAllowsFunc(BpfMapType type, int f) => type switch
    {
        ProgArray => f == H.TailCall,
        PerfEventArray => f is H.PerfEventRead or H.PerfEventOutput or H.SkbOutput or H.PerfEventReadValue or H.XdpOutput,
        Ringbuf => f is H.RingbufOutput or H.RingbufReserve or H.RingbufQuery or H.RingbufReserveDynptr
            or H.RingbufSubmitDynptr or H.RingbufDiscardDynptr,
        UserRingbuf => f == H.UserRingbufDrain,
        StackTrace => f == H.GetStackid,
        CgroupArray => f is H.SkbUnderCgroup or H.CurrentTaskUnderCgroup,
        CgroupStorage or PercpuCgroupStorage => f == H.GetLocalStorage,
        Devmap or DevmapHash => f is H.RedirectMap or H.MapLookupElem,
        Cpumap => f == H.RedirectMap,
        Xskmap => f is H.RedirectMap or H.MapLookupElem,
        ArrayOfMaps or HashOfMaps => f == H.MapLookupElem,
        Sockmap => f is H.SkRedirectMap or H.SockMapUpdate or H.MsgRedirectMap or H.SkSelectReuseport
            or H.MapLookupElem or H.MapUpdateElem or H.MapDeleteElem,
        Sockhash => f is H.SkRedirectHash or H.SockHashUpdate or H.MsgRedirectHash or H.SkSelectReuseport
            or H.MapLookupElem or H.MapUpdateElem or H.MapDeleteElem,
        ReuseportSockarray => f == H.SkSelectReuseport,
        Queue or BpfMapType.Stack => f is H.MapPeekElem or H.MapPopElem or H.MapPushElem,
        SkStorage => f is H.SkStorageGet or H.SkStorageDelete,
        InodeStorage => f is H.InodeStorageGet or H.InodeStorageDelete,
        TaskStorage => f is H.TaskStorageGet or H.TaskStorageDelete,
        CgrpStorage => f is H.CgrpStorageGet or H.CgrpStorageDelete,
        BloomFilter => f is H.MapPeekElem or H.MapPushElem,
        InsnArray => false,
        _ => true,
    };

    private static bool FuncAllowsMap(int f, BpfMapType type) => f switch
    {
        H.TailCall => type == ProgArray,
        H.PerfEventRead or H.PerfEventOutput or H.PerfEventReadValue or H.SkbOutput or H.XdpOutput => type == PerfEventArray,
        H.RingbufOutput or H.RingbufReserve or H.RingbufQuery or H.RingbufReserveDynptr or H.RingbufSubmitDynptr
            or H.RingbufDiscardDynptr => type == Ringbuf,
        H.UserRingbufDrain => type == UserRingbuf,
        H.GetStackid => type == StackTrace,
        H.CurrentTaskUnderCgroup or H.SkbUnderCgroup => type == CgroupArray,
        H.RedirectMap => type is Devmap or DevmapHash or Cpumap or Xskmap,
        H.SkRedirectMap or H.MsgRedirectMap or H.SockMapUpdate => type == Sockmap,
        H.SkRedirectHash or H.MsgRedirectHash or H.SockHashUpdate => type == Sockhash,
        H.GetLocalStorage => type is CgroupStorage or PercpuCgroupStorage,
        H.SkSelectReuseport => type is ReuseportSockarray or Sockmap or Sockhash,
        H.MapPopElem => type is Queue or BpfMapType.Stack,
        H.MapPeekElem or H.MapPushElem => type is Queue or BpfMapType.Stack or BloomFilter,
        H.MapLookupPercpuElem => type is PercpuArray or PercpuHash or LruPercpuHash,
        H.SkStorageGet or H.SkStorageDelete => type == SkStorage,
        H.InodeStorageGet or H.InodeStorageDelete => type == InodeStorage,
        H.TaskStorageGet or H.TaskStorageDelete => type == TaskStorage,
        H.CgrpStorageGet or H.CgrpStorageDelete => type == CgrpStorage,
        _ => true,
    };
}
