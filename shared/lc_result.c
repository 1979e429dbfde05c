/* SPDX-License-Identifier: MIT */
/* lc_result.c — names of the core's result codes (see lc_result.h). */
#include "lc_result.h"

const char *lc_result_str(int result)
{
	switch ((enum lc_result)result) {
	case LC_OK: return "LC_OK";
	case LC_E_INVALID: return "LC_E_INVALID";
	case LC_E_FORMAT: return "LC_E_FORMAT";
	case LC_E_CORRUPT: return "LC_E_CORRUPT";
	case LC_E_VERSION: return "LC_E_VERSION";
	case LC_E_NO_SLOT: return "LC_E_NO_SLOT";
	case LC_E_TOO_SMALL: return "LC_E_TOO_SMALL";
	case LC_E_NO_MEMORY: return "LC_E_NO_MEMORY";
	case LC_E_STATE: return "LC_E_STATE";
	case LC_E_UNSUPPORTED: return "LC_E_UNSUPPORTED";
	}
	return result > 0 ? "LC_OK" : "LC_E_UNKNOWN";
}
