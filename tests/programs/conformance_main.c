// A self-contained program in .text with one global function, the shape of the conformance
// suite's --elf input: returns mem[1] * 3 + len, or 42 when there is no memory.
typedef unsigned long long u64;
typedef unsigned char u8;

__attribute__((noinline)) static u64 triple(u64 x) { return x * 3; }

u64 main_prog(u8 *mem, u64 len)
{
    if (len < 2)
        return 42;
    return triple(mem[1]) + len;
}
