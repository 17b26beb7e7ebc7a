namespace BpfSharp.Verifier;

/// <summary>The helper ids (<c>enum bpf_func_id</c>) the verifier treats specially, and the helpers that change packet data.</summary>
internal static class HelperIds
{
    public const int MapLookupElem = 1;
    public const int MapUpdateElem = 2;
    public const int MapDeleteElem = 3;
    public const int TailCall = 12;
    public const int GetSmpProcessorId = 8;
    public const int ProbeReadStr = 45;
    public const int GetStack = 67;
    public const int SkLookupTcp = 84;
    public const int SkLookupUdp = 85;
    public const int SkRelease = 86;
    public const int MapPushElem = 87;
    public const int MapPopElem = 88;
    public const int MapPeekElem = 89;
    public const int SkcLookupTcp = 99;
    public const int SkFullsock = 95;
    public const int TcpSock = 96;
    public const int SkcToTcp6Sock = 136;
    public const int SkcToTcpSock = 137;
    public const int SkcToTcpTimewaitSock = 138;
    public const int SkcToTcpRequestSock = 139;
    public const int SkcToUdp6Sock = 140;
    public const int SkcToMptcpSock = 196;
    public const int ProbeReadUserStr = 114;
    public const int ProbeReadKernelStr = 115;
    public const int RingbufOutput = 130;
    public const int RingbufReserve = 131;
    public const int RingbufSubmit = 132;
    public const int RingbufDiscard = 133;
    public const int RingbufQuery = 134;
    public const int GetTaskStack = 141;
    public const int PerfEventRead = 22;
    public const int PerfEventOutput = 25;
    public const int PerfEventReadValue = 55;
    public const int SkbOutput = 111;
    public const int XdpOutput = 121;
    public const int GetStackid = 27;
    public const int SkbUnderCgroup = 33;
    public const int CurrentTaskUnderCgroup = 37;
    public const int RedirectMap = 51;
    public const int SkRedirectMap = 52;
    public const int MsgRedirectMap = 60;
    public const int SockMapUpdate = 53;
    public const int SkRedirectHash = 72;
    public const int MsgRedirectHash = 71;
    public const int SockHashUpdate = 70;
    public const int GetLocalStorage = 81;
    public const int SkSelectReuseport = 82;
    public const int MapLookupPercpuElem = 195;
    public const int SkStorageGet = 107;
    public const int SkStorageDelete = 108;
    public const int UserRingbufDrain = 209;
    public const int RingbufReserveDynptr = 198;
    public const int RingbufSubmitDynptr = 199;
    public const int RingbufDiscardDynptr = 200;
    public const int DynptrFromMem = 197;
    public const int DynptrRead = 201;
    public const int DynptrWrite = 202;
    public const int DynptrData = 203;
    public const int SkbVlanPush = 18;
    public const int SkbVlanPop = 19;
    public const int SkbStoreBytes = 9;
    public const int SkbChangeProto = 31;
    public const int SkbChangeHead = 43;
    public const int SkbChangeTail = 38;
    public const int SkbAdjustRoom = 50;
    public const int SkbPullData = 39;
    public const int CloneRedirect = 13;
    public const int L3CsumReplace = 10;
    public const int L4CsumReplace = 11;
    public const int XdpAdjustHead = 44;
    public const int XdpAdjustMeta = 54;
    public const int XdpAdjustTail = 65;
    public const int MsgPullData = 63;
    public const int MsgPushData = 90;
    public const int MsgPopData = 91;
    public const int LwtPushEncap = 73;
    public const int LwtSeg6StoreBytes = 74;
    public const int LwtSeg6AdjustSrh = 75;
    public const int LwtSeg6Action = 76;
    public const int InodeStorageGet = 145;
    public const int InodeStorageDelete = 146;
    public const int TaskStorageGet = 156;
    public const int TaskStorageDelete = 157;
    public const int CgrpStorageGet = 210;
    public const int CgrpStorageDelete = 211;
    public const int ForEachMapElem = 164;
    public const int TimerSetCallback = 170;
    public const int FindVma = 180;
    public const int Loop = 181;

    /// <summary>Helpers after which every packet pointer is stale (kernel: bpf_helper_changes_pkt_data).</summary>
    public static bool ChangesPacketData(int id) => id is SkbVlanPush
        or SkbVlanPop
        or SkbStoreBytes
        or SkbChangeProto
        or SkbChangeHead
        or SkbChangeTail
        or SkbAdjustRoom
        or SkbPullData
        or CloneRedirect
        or L3CsumReplace
        or L4CsumReplace
        or XdpAdjustHead
        or XdpAdjustMeta
        or XdpAdjustTail
        or MsgPullData
        or MsgPushData
        or MsgPopData
        or LwtPushEncap
        or LwtSeg6StoreBytes
        or LwtSeg6AdjustSrh
        or LwtSeg6Action;
    /// <summary>bpf_spin_lock.</summary>
    public const int SpinLock = 93;
    /// <summary>bpf_spin_unlock.</summary>
    public const int SpinUnlock = 94;
}
