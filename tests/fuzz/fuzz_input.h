/* SPDX-License-Identifier: MIT */
/*
 * fuzz_input.h — the fuzzers' reading of their input as a script: numbers taken from
 * the front, little-endian, zeros once the input runs out (so every input is a whole
 * script and the fuzzer explores by mutating values, not by hitting lengths).
 */
#ifndef FUZZ_INPUT_H
#define FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

struct input {
	const uint8_t *p;
	size_t n;
};

/* The next `bytes` (<= 4) bytes as a number. */
static inline uint32_t
take(struct input *in, uint32_t bytes)
{
	uint32_t v = 0;

	for (uint32_t i = 0; i < bytes && in->n; i++, in->p++, in->n--)
		v |= (uint32_t)in->p[0] << (8 * i);
	return v;
}

#endif /* FUZZ_INPUT_H */
