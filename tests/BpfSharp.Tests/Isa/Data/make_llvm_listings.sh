#!/bin/sh
# Rebuilds the llvm-objdump listings the assembler tests read (needs clang-19 and llvm-19).
set -e
cd "$(dirname "$0")"
tmp=$(mktemp -d)
llvm-mc-19 -triple bpfel -mcpu=v4 -filetype=obj -o "$tmp/forms.o" llvm_forms.s
llvm-objdump-19 -d --mcpu=v4 "$tmp/forms.o" > llvm_forms.hex.lst
llvm-objdump-19 -d --mcpu=v4 --no-print-imm-hex "$tmp/forms.o" > llvm_forms.dec.lst
clang-19 -O2 -g -target bpf -mcpu=v4 -I/usr/include/x86_64-linux-gnu -c objdump_prog.c -o "$tmp/prog.o"
# Without --mcpu llvm-objdump misprints some 32-bit atomics; the assembler reads the bytes.
llvm-objdump-19 -dr "$tmp/prog.o" | sed "s|$tmp/||" > objdump_prog.lst
rm -r "$tmp"
