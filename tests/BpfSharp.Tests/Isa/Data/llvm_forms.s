# Every instruction form in LLVM's BPF assembly syntax; make_llvm_listings.sh assembles it with llvm-mc-19.
  r0 = *(u8 *)skb[0]
  r0 = *(u16 *)skb[2]
  r0 = *(u32 *)skb[-4]
  r0 = *(u8 *)skb[r3]
  r0 = *(u16 *)skb[r4]
  r0 = *(u32 *)skb[r2]
  r9 = 0xffffffff ll
  r9 = -1 ll
  r1 = 0x123456789 ll
  r2 = 0 ll
  r5 = *(u8 *)(r0 + 0)
  r6 = *(u16 *)(r1 + 8)
  r7 = *(u32 *)(r2 - 16)
  r8 = *(u64 *)(r3 - 30)
  r8 = *(u64 *)(r10 + 32767)
  r8 = *(u64 *)(r10 - 32768)
  r5 = *(s8 *)(r0 + 0)
  r6 = *(s16 *)(r1 + 8)
  r7 = *(s32 *)(r2 - 16)
  *(u8 *)(r0 + 0) = r7
  *(u16 *)(r1 + 8) = r8
  *(u32 *)(r2 + 16) = r9
  *(u64 *)(r3 - 30) = r10
  *(u8 *)(r0 + 0) = 7
  *(u16 *)(r1 + 8) = -8
  *(u32 *)(r2 + 16) = 9
  *(u64 *)(r3 - 30) = 10
  *(u64 *)(r10 - 8) = -2147483648
  lock *(u32 *)(r2 + 16) += w9
  lock *(u64 *)(r3 - 30) += r10
  lock *(u32 *)(r2 + 16) |= w9
  lock *(u32 *)(r2 + 16) &= w9
  lock *(u32 *)(r2 + 16) ^= w9
  lock *(u64 *)(r3 - 30) |= r10
  lock *(u64 *)(r3 - 30) &= r10
  lock *(u64 *)(r3 - 30) ^= r10
  w1 = atomic_fetch_add((u32 *)(r2 + 4), w1)
  w1 = atomic_fetch_and((u32 *)(r2 + 4), w1)
  w1 = atomic_fetch_or((u32 *)(r2 + 4), w1)
  w1 = atomic_fetch_xor((u32 *)(r2 + 4), w1)
  r1 = atomic_fetch_add((u64 *)(r2 + 4), r1)
  r1 = atomic_fetch_and((u64 *)(r2 + 4), r1)
  r1 = atomic_fetch_or((u64 *)(r2 + 4), r1)
  r1 = atomic_fetch_xor((u64 *)(r2 + 4), r1)
  w1 = xchg32_32(r2 + 4, w1)
  r1 = xchg_64(r2 + 4, r1)
  w0 = cmpxchg32_32(r2 + 4, w0, w1)
  r0 = cmpxchg_64(r2 - 4, r0, r1)
  goto +3
  goto -1
  goto +0
  gotol -3
  gotol +300
  call 1
  call 211
  callx r3
  exit
  if r1 == r2 goto +1
  if r1 != r2 goto +1
  if r1 > r2 goto +1
  if r1 >= r2 goto +1
  if r1 < r2 goto +1
  if r1 <= r2 goto +1
  if r1 s> r2 goto +1
  if r1 s>= r2 goto +1
  if r1 s< r2 goto +1
  if r1 s<= r2 goto +1
  if r1 & r2 goto +1
  if r1 == 5 goto -2
  if r1 != -1 goto -2
  if r1 > 0x7fffffff goto -2
  if r1 >= 0 goto -2
  if r1 < 5 goto -2
  if r1 <= 5 goto -2
  if r1 s> 5 goto -2
  if r1 s>= 5 goto -2
  if r1 s< 5 goto -2
  if r1 s<= 5 goto -2
  if r1 & 0x1 goto -2
  if w1 == w2 goto +1
  if w1 != w2 goto +1
  if w1 > w2 goto +1
  if w1 >= w2 goto +1
  if w1 < w2 goto +1
  if w1 <= w2 goto +1
  if w1 s> w2 goto +1
  if w1 s>= w2 goto +1
  if w1 s< w2 goto +1
  if w1 s<= w2 goto +1
  if w1 & w2 goto +1
  if w1 == 5 goto +32767
  if w1 != -1 goto -32768
  if w1 & 0xff goto +1
  r0 += r1
  r1 -= r2
  r2 *= r3
  r3 /= r4
  r4 %= r5
  r4 |= r5
  r5 &= r6
  r6 <<= r7
  r7 >>= r8
  r8 ^= r9
  r9 = r10
  r10 s>>= r0
  r0 += 1
  r1 -= 0x1
  r2 *= -4
  r3 /= 5
  r4 %= 5
  r4 |= 0xff
  r5 &= 0xFF
  r6 <<= 63
  r7 >>= 32
  r8 ^= 0
  r9 = 1
  r9 = 0xffffffff
  r10 s>>= 64
  w0 += w1
  w1 -= w2
  w2 *= w3
  w3 /= w4
  w4 %= w5
  w4 |= w5
  w5 &= w6
  w6 <<= w7
  w7 >>= w8
  w8 ^= w9
  w9 = w10
  w10 s>>= w0
  w0 += 1
  w1 -= 0x1
  w2 *= -4
  w3 /= 5
  w4 %= 5
  w4 |= 0xff
  w6 <<= 31
  w7 >>= 16
  w8 ^= 0
  w9 = 1
  w10 s>>= 3
  r1 = -r1
  w1 = -w1
  r1 = (s8)r2
  r1 = (s16)r2
  r1 = (s32)r2
  w1 = (s8)w2
  w1 = (s16)w2
  r1 = be16 r1
  r1 = be32 r1
  r1 = be64 r1
  r1 = le16 r1
  r1 = le32 r1
  r1 = le64 r1
  r1 = bswap16 r1
  r1 = bswap32 r1
  r1 = bswap64 r1
  r1 s/= r2
  r1 s%= r2
  r1 s/= 3
  r1 s%= 3
  w1 s/= w2
  w1 s%= w2
  w1 s/= -3
  w1 s%= -3
  r1 = -2147483648
  w1 = 0x80000000
  r1 = 0x7fffffff
