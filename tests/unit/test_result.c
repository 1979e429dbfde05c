/* SPDX-License-Identifier: MIT */
/* test_result.c — every result code has its own, stable name. */
#include <criterion/criterion.h>
#include <string.h>

#include "lc_result.h"

Test(result, every_code_has_a_distinct_name)
{
	const int codes[] = { LC_OK, LC_E_INVALID, LC_E_FORMAT, LC_E_CORRUPT, LC_E_VERSION,
			      LC_E_NO_SLOT, LC_E_TOO_SMALL, LC_E_NO_MEMORY, LC_E_STATE,
			      LC_E_UNSUPPORTED };
	const size_t n = sizeof(codes) / sizeof(codes[0]);

	for (size_t i = 0; i < n; i++) {
		const char *name = lc_result_str(codes[i]);
		cr_assert(strncmp(name, "LC_", 3) == 0, "code %d: %s", codes[i], name);
		cr_assert_str_neq(name, "LC_E_UNKNOWN", "code %d has no name", codes[i]);
		for (size_t j = 0; j < i; j++)
			cr_assert_str_neq(name, lc_result_str(codes[j]));
	}
}

Test(result, unknown_codes_are_named_unknown_and_counts_are_ok)
{
	cr_assert_str_eq(lc_result_str(-1000), "LC_E_UNKNOWN");
	cr_assert_str_eq(lc_result_str(42), "LC_OK");
}
