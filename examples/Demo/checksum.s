; RFC 1071 Internet checksum of the packet in r1 (length r2), as a verify-less demo.
; r1 = data, r2 = length in bytes; returns the 16-bit one's complement sum.
        r0 = 0
        if r2 < 2 goto tail
words:
        r3 = *(u16 *)(r1 +0)
        r3 = be16 r3            ; network byte order
        r0 += r3
        r1 += 2
        r2 += -2
        if r2 > 1 goto words
tail:
        if r2 == 0 goto fold
        r3 = *(u8 *)(r1 +0)
        r3 <<= 8
        r0 += r3
fold:
        r3 = r0
        r3 >>= 16
        r0 &= 0xffff
        r0 += r3
        r3 = r0
        r3 >>= 16
        r0 += r3
        r0 ^= 0xffff
        r0 &= 0xffff
        exit
