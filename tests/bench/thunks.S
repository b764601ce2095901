/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The return and indirect-branch thunks that -mfunction-return=thunk-extern
 * and -mindirect-branch=thunk-extern (the Debian kernel's flags) call: here
 * plain ret/jmp, as the kernel patches them on CPUs that need no retpoline.
 */
	.text
	.globl __x86_return_thunk
__x86_return_thunk:
	ret
	int3

	.irp reg, rax, rbx, rcx, rdx, rsi, rdi, rbp, r8, r9, r10, r11, r12, r13, r14, r15
	.globl __x86_indirect_thunk_\reg
__x86_indirect_thunk_\reg:
	jmp *%\reg
	.endr
	.section .note.GNU-stack,"",@progbits
