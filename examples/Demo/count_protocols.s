; Counts packets per IPv4 protocol in a HASH map: key = protocol (u32), value = count (u64).
; MAP_FD is replaced by the demo with the fd of the map it created.
        r6 = r1
        r0 = *(u8 *)skb[9]              ; LD_ABS: the IPv4 protocol byte
        *(u32 *)(r10 -4) = r0
        r2 = r10
        r2 += -4
        r1 = map[fd:MAP_FD]
        call bpf_map_lookup_elem#1
        if r0 == 0x0 goto first
        r1 = 1
        lock *(u64 *)(r0 +0) += r1      ; an atomic add on the value in place
        goto out
first:
        *(u64 *)(r10 -16) = 1
        r1 = map[fd:MAP_FD]
        r2 = r10
        r2 += -4
        r3 = r10
        r3 += -16
        r4 = 0
        call bpf_map_update_elem#2
out:
        r0 = 0
        exit
