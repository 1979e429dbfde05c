/* SPDX-License-Identifier: MIT */
/* drv_security.c — the sections' descriptor and creating them with it (drv_security.h). */
#include <windows.h>
#include <sddl.h>

#include "drv_config.h"
#include "drv_security.h"
#include "drv_trace.h"

/* D: Everyone and OWNER RIGHTS get map read/write, query and READ_CONTROL.  S: the
 * mandatory label, NW (no write up) and NR (no read up): Medium, or Low when allowed. */
#define SECTION_DACL L"D:(A;;0x20007;;;WD)(A;;0x20007;;;OW)"
static const wchar_t sddl_medium[] = SECTION_DACL L"S:(ML;;NWNR;;;ME)";
static const wchar_t sddl_low[] = SECTION_DACL L"S:(ML;;NWNR;;;LW)";

const wchar_t *drv_security_sddl(bool allow_low_integrity)
{
	return allow_low_integrity ? sddl_low : sddl_medium;
}

static HANDLE open_section(const wchar_t *name)
{
	return OpenFileMappingW(FILE_MAP_READ | FILE_MAP_WRITE, FALSE, name);
}

HANDLE drv_security_create_section(const wchar_t *name, uint64_t bytes, bool *created)
{
	*created = false;
	/* Opening first: CreateFileMapping on an existing name asks for the standard
	 * rights too (DELETE, WRITE_DAC, …), which the descriptor grants nobody. */
	HANDLE mapping = open_section(name);
	if (mapping)
		return mapping;
	DWORD error = GetLastError();
	if (error != ERROR_FILE_NOT_FOUND) {
		DRV_ERR("OpenFileMapping failed: %lu", error);
		return NULL;
	}
	struct drv_config config;
	drv_config_read(&config);
	PSECURITY_DESCRIPTOR sd = NULL;
	/* No descriptor, no section: the default one would be the creator's own DACL,
	 * which is not what the other clients were promised. */
	if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(
		    drv_security_sddl(config.allow_low_integrity != 0), SDDL_REVISION_1, &sd,
		    NULL)) {
		DRV_ERR("section descriptor not built: %lu", GetLastError());
		return NULL;
	}
	SECURITY_ATTRIBUTES sa = { sizeof(sa), sd, FALSE };
	mapping = CreateFileMappingW(INVALID_HANDLE_VALUE, &sa, PAGE_READWRITE,
				     (DWORD)(bytes >> 32), (DWORD)bytes, name);
	error = GetLastError();
	LocalFree(sd);
	if (mapping) {
		*created = error != ERROR_ALREADY_EXISTS;
		return mapping;
	}
	/* Another process created it since we looked: open theirs. */
	if (error == ERROR_ACCESS_DENIED && (mapping = open_section(name)))
		return mapping;
	DRV_ERR("CreateFileMapping failed: %lu", error);
	return NULL;
}
