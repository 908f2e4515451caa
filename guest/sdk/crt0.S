/*
 * Entry point of every guest. The machine starts with all registers zero
 * (docs/spec.md §1.7), so crt0 sets gp, sp and tp itself, then hands over to
 * __verdict_start (start.c).
 *
 * sp: zero on the Verdict machine -> top of the program region
 * (__stack_top = 0x80000000). A non-zero incoming sp means a Linux-style
 * loader (qemu-riscv32) already gave us a stack; keeping it lets the same
 * ELF run under qemu-user for reference benchmarks.
 */
	/* Without .file the assembler names this object after gcc's random
	 * temporary file, which would make the ELF's symbol table irreproducible. */
	.file	"crt0.S"
	.section .text.init.enter, "ax", @progbits
	.globl _start
	.type _start, @function
_start:
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop
	bnez	sp, 1f
	la	sp, __stack_top
1:
	andi	sp, sp, -16
	/* Single thread: the TLS block is the .tdata/.tbss image in place. */
	la	tp, __tls_base
	call	__verdict_start
	/* __verdict_start never returns; trap (EBREAK) if it ever does. */
	ebreak
	.size _start, . - _start
