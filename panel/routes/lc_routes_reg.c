/* SPDX-License-Identifier: MIT */
/*
 * lc_routes_reg.c — routes in HKCU (lc_routes_reg.h).  Strings are UTF-16 in the
 * registry and UTF-8 in struct lc_route.
 */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drv_regkeys.h"
#include "lc_result.h"
#include "lc_routes_reg.h"
#include "lc_shm_layout.h"

static HKEY open_route_key(uint32_t id, REGSAM access, BOOL create)
{
	wchar_t path[96];
	HKEY key = NULL;
	_snwprintf(path, 96, L"%ls\\%u", DRV_REG_ROUTES, id);
	path[95] = L'\0';
	LONG err = create ? RegCreateKeyExW(HKEY_CURRENT_USER, path, 0, NULL, 0, access, NULL,
					    &key, NULL)
			  : RegOpenKeyExW(HKEY_CURRENT_USER, path, 0, access, &key);
	return err == ERROR_SUCCESS ? key : NULL;
}

static BOOL read_dword(HKEY key, const wchar_t *name, uint32_t *out)
{
	DWORD value, size = sizeof(value), type;
	if (RegQueryValueExW(key, name, NULL, &type, (BYTE *)&value, &size) != ERROR_SUCCESS ||
	    type != REG_DWORD || size != sizeof(value))
		return FALSE;
	*out = value;
	return TRUE;
}

/* A REG_SZ of at most `bytes` - 1 UTF-8 bytes; a missing value is "". */
static BOOL read_utf8(HKEY key, const wchar_t *name, char *out, size_t bytes)
{
	wchar_t wide[LC_ROUTE_DEVICE_BYTES + 1];
	DWORD size = sizeof(wide) - sizeof(wchar_t), type;
	LONG err = RegQueryValueExW(key, name, NULL, &type, (BYTE *)wide, &size);
	out[0] = '\0';
	if (err == ERROR_FILE_NOT_FOUND)
		return TRUE;
	if (err != ERROR_SUCCESS || type != REG_SZ)
		return FALSE;
	wide[size / sizeof(wchar_t)] = L'\0';
	int n = WideCharToMultiByte(CP_UTF8, 0, wide, -1, out, (int)bytes, NULL, NULL);
	if (n <= 0) {
		out[0] = '\0';
		return FALSE;
	}
	return TRUE;
}

static BOOL write_utf8(HKEY key, const wchar_t *name, const char *text)
{
	wchar_t wide[LC_ROUTE_DEVICE_BYTES + 1];
	int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, text, -1, wide,
				    LC_ROUTE_DEVICE_BYTES + 1);
	if (n <= 0)
		return FALSE;
	return RegSetValueExW(key, name, 0, REG_SZ, (const BYTE *)wide,
			      (DWORD)(n * sizeof(wchar_t))) == ERROR_SUCCESS;
}

static BOOL write_dword(HKEY key, const wchar_t *name, uint32_t value)
{
	DWORD v = value;
	return RegSetValueExW(key, name, 0, REG_DWORD, (const BYTE *)&v, sizeof(v)) ==
	       ERROR_SUCCESS;
}

/* A route as stored, before validation against the cable count (done by callers that
 * know it): LC_MAX_CABLES here. */
static BOOL read_route(HKEY key, uint32_t id, struct lc_route *r)
{
	char direction[16];
	lc_route_default(r);
	r->id = id;
	if (!read_dword(key, DRV_REG_ROUTE_CABLE, &r->cable) ||
	    !read_utf8(key, DRV_REG_ROUTE_DIRECTION, direction, sizeof(direction)) ||
	    !read_utf8(key, DRV_REG_ROUTE_HOST_API, r->host_api, sizeof(r->host_api)) ||
	    !read_utf8(key, DRV_REG_ROUTE_DEVICE, r->device, sizeof(r->device)))
		return FALSE;
	if (strcmp(direction, "listen") == 0)
		r->dir = LC_ROUTE_TO_DEVICE;
	else if (strcmp(direction, "feed") == 0)
		r->dir = LC_ROUTE_FROM_DEVICE;
	else
		return FALSE;
	read_dword(key, DRV_REG_ROUTE_LATENCY, &r->latency_ms);
	read_dword(key, DRV_REG_ROUTE_ENABLED, &r->enabled);
	return lc_route_check(r, LC_MAX_CABLES, NULL) == 0;
}

static int by_id(const void *a, const void *b)
{
	uint32_t x = ((const struct lc_route *)a)->id, y = ((const struct lc_route *)b)->id;
	return x < y ? -1 : x > y;
}

uint32_t lc_routes_load(struct lc_route *out, uint32_t cap)
{
	HKEY routes;
	uint32_t n = 0;
	if (RegOpenKeyExW(HKEY_CURRENT_USER, DRV_REG_ROUTES, 0, KEY_READ, &routes) != ERROR_SUCCESS)
		return 0;
	for (DWORD i = 0; n < cap; i++) {
		wchar_t name[16];
		DWORD name_chars = 16;
		LONG err = RegEnumKeyExW(routes, i, name, &name_chars, NULL, NULL, NULL, NULL);
		if (err == ERROR_NO_MORE_ITEMS)
			break;
		if (err != ERROR_SUCCESS)
			continue; /* a name longer than any id: not ours */
		wchar_t *end;
		unsigned long id = wcstoul(name, &end, 10);
		if (*end != L'\0' || id < 1 || id > LC_ROUTE_ID_MAX)
			continue;
		HKEY key;
		if (RegOpenKeyExW(routes, name, 0, KEY_READ, &key) != ERROR_SUCCESS)
			continue;
		if (read_route(key, (uint32_t)id, &out[n]))
			n++;
		RegCloseKey(key);
	}
	RegCloseKey(routes);
	qsort(out, n, sizeof(out[0]), by_id);
	return n;
}

int lc_routes_get(uint32_t id, struct lc_route *out)
{
	HKEY key;
	BOOL ok;
	if (id < 1 || id > LC_ROUTE_ID_MAX || !(key = open_route_key(id, KEY_READ, FALSE)))
		return LC_E_INVALID;
	ok = read_route(key, id, out);
	RegCloseKey(key);
	return ok ? 0 : LC_E_INVALID;
}

int lc_routes_save(struct lc_route *r, uint32_t n_cables, const char **why)
{
	struct lc_route existing[LC_ROUTE_MAX];
	uint32_t n, id = r->id;
	HKEY key;
	BOOL ok;

	if (lc_route_check(r, n_cables, why) != 0)
		return LC_E_INVALID;
	n = lc_routes_load(existing, LC_ROUTE_MAX);
	if (id == 0) {
		/* The lowest id no route has (existing is sorted). */
		id = 1;
		for (uint32_t i = 0; i < n && existing[i].id == id; i++)
			id++;
		if (n >= LC_ROUTE_MAX) {
			if (why)
				*why = "too many routes (32 at most)";
			return LC_E_NO_SLOT;
		}
	}
	key = open_route_key(id, KEY_SET_VALUE, TRUE);
	if (!key) {
		if (why)
			*why = "the registry refused the route";
		return LC_E_STATE;
	}
	ok = write_dword(key, DRV_REG_ROUTE_CABLE, r->cable) &&
	     write_utf8(key, DRV_REG_ROUTE_DIRECTION, lc_route_dir_name(r->dir)) &&
	     write_utf8(key, DRV_REG_ROUTE_HOST_API, r->host_api) &&
	     write_utf8(key, DRV_REG_ROUTE_DEVICE, r->device) &&
	     write_dword(key, DRV_REG_ROUTE_LATENCY, r->latency_ms) &&
	     write_dword(key, DRV_REG_ROUTE_ENABLED, r->enabled);
	RegCloseKey(key);
	if (!ok) {
		if (why)
			*why = "the registry refused the route";
		return LC_E_STATE;
	}
	r->id = id;
	return 0;
}

int lc_routes_remove(uint32_t id)
{
	wchar_t name[16];
	HKEY routes;
	LONG err;
	if (id < 1 || id > LC_ROUTE_ID_MAX)
		return LC_E_INVALID;
	if (RegOpenKeyExW(HKEY_CURRENT_USER, DRV_REG_ROUTES, 0, KEY_ALL_ACCESS, &routes) !=
	    ERROR_SUCCESS)
		return LC_E_INVALID;
	_snwprintf(name, 16, L"%u", id);
	name[15] = L'\0';
	err = RegDeleteKeyW(routes, name);
	RegCloseKey(routes);
	return err == ERROR_SUCCESS ? 0 : LC_E_INVALID;
}

void *lc_routes_open_watch(void)
{
	HKEY key = NULL;
	if (RegCreateKeyExW(HKEY_CURRENT_USER, DRV_REG_ROUTES, 0, NULL, 0, KEY_NOTIFY | KEY_READ,
			    NULL, &key, NULL) != ERROR_SUCCESS)
		return NULL;
	return key;
}
