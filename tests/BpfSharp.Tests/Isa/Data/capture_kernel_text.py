#!/usr/bin/env python3
"""Asks the live kernel how its verifier log prints instructions (needs root and bpf()).

Reads lines of 8 or 16 instruction bytes in hex ("b7 01 00 00 05 00 00 00"), loads for each a
socket filter that reaches the instruction, and prints "bytes | text" with the text the verifier
log printed for it (kernel/bpf/disasm.c print_bpf_insn). The program may be rejected; the
instruction is printed before it is checked. Lines the kernel did not print are reported as
"bytes | ?? <first log line>". Used to produce expectations for disasm_kernel.txt.

    python3 capture_kernel_text.py < instructions.txt
"""
import ctypes
import os
import re
import struct
import sys

BPF_PROG_LOAD = 5
SYS_BPF = 321  # x86-64
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long

PAD = bytes.fromhex("b700000000000000")   # r0 = 0
EXIT = bytes.fromhex("9500000000000000")


def load(insns: bytes) -> str:
    log = ctypes.create_string_buffer(1 << 20)
    license_ = ctypes.create_string_buffer(b"GPL")
    code = ctypes.create_string_buffer(insns, len(insns))
    attr = bytearray(144)
    struct.pack_into("<IIQQIIQ", attr, 0, 1, len(insns) // 8, ctypes.addressof(code),
                     ctypes.addressof(license_), 2, len(log), ctypes.addressof(log))
    buf = (ctypes.c_char * len(attr)).from_buffer(attr)
    fd = libc.syscall(SYS_BPF, BPF_PROG_LOAD, buf, len(attr))
    if fd >= 0:
        os.close(fd)
    return log.value.decode(errors="replace")


def capture(insn: bytes) -> str:
    code, regs, off, imm = struct.unpack_from("<BBhi", insn)
    src = regs >> 4
    cls = code & 7
    before = after = 0
    if cls in (5, 6) and code not in (0x85, 0x95):
        disp = imm if code == 0x06 else off
        if disp < 0:
            before = -disp
        else:
            after = disp
    if code == 0x85 and src == 1 and imm > 0:
        # pseudo call: the main function ends with exit before the subprogram starts.
        at = 0
        prog = insn + PAD * (imm - 1) + EXIT + PAD + EXIT
    elif before:
        # backward jump: "if r1 == 0" (r1 = ctx, never 0) keeps the final exit reachable for check_cfg.
        at = before + 1
        skip = before + len(insn) // 8
        prog = struct.pack("<BBhi", 0x15, 1, skip, 0) + PAD * before + insn + EXIT
    elif code == 0x95:
        at = 0
        prog = insn
    elif code in (0x05, 0x06) and after:
        # forward goto: "if r1 == 0" keeps the instructions it skips reachable for check_cfg.
        at = 1
        prog = struct.pack("<BBhi", 0x15, 1, 1, 0) + insn + PAD * after + EXIT
    else:
        at = 0
        prog = insn + PAD * after + EXIT
    log = load(prog)
    prefix = f"{at}: "
    for line in log.splitlines():
        if line.startswith(prefix + "("):
            text = line[len(prefix):].split(" ;")[0].rstrip()
            # a jump's line may go on with the state at its target: " 4: R1=ctx() R10=fp0"
            return re.sub(r" \d+: [A-Za-z].*$", "", text)
    return "?? " + (log.splitlines() or [""])[0]


for raw in sys.stdin:
    raw = raw.split("#")[0].strip()
    if not raw:
        continue
    insn = bytes.fromhex(raw.replace(" ", ""))
    print(f"{raw} | {capture(insn)}")
