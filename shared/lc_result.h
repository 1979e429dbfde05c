/* SPDX-License-Identifier: MIT */
/*
 * lc_result.h — the core's error vocabulary.
 *
 * Functions in shared/ return 0 or a non-negative count on success and a negative
 * enum lc_result on failure.  The driver translates these to MMRESULT once, at its
 * entry points (driver/drv_result.c); nothing in shared/ knows Windows codes.
 */
#ifndef LC_RESULT_H
#define LC_RESULT_H

enum lc_result {
	LC_OK = 0,
	LC_E_INVALID = -1,    /* an argument is out of its documented range */
	LC_E_FORMAT = -2,     /* a client audio format we cannot handle */
	LC_E_CORRUPT = -3,    /* input from outside failed validation: shared memory, a
	                         packet, an SDP description (the caller says which) */
	LC_E_VERSION = -4,    /* the section was made by an incompatible ABI */
	LC_E_NO_SLOT = -5,    /* every slot of that kind is taken */
	LC_E_TOO_SMALL = -6,  /* a caller's buffer or the section is too small */
	LC_E_NO_MEMORY = -7,  /* allocation failed (only outside shared memory) */
	LC_E_STATE = -8,      /* the call is not valid in the object's current state */
	LC_E_UNSUPPORTED = -9 /* valid request, not supported by this build */
};

/* A stable, human-readable name for every value, for logs and test messages.
 * Unknown values give "LC_E_UNKNOWN" rather than NULL. */
const char *lc_result_str(int result);

#endif /* LC_RESULT_H */
