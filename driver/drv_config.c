/* SPDX-License-Identifier: MIT */
/*
 * drv_config.c — registry settings (drv_config.h).  Each numeric setting is one row of
 * a table {value name, default, min, max}; reading walks the table.
 */
#include <windows.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#include "drv_config.h"
#include "drv_regkeys.h"

struct setting {
	const wchar_t *name;
	size_t offset; /* of the uint32_t in struct drv_config or struct drv_cable_config */
	uint32_t def, min, max;
};

static const struct setting global_settings[] = {
	{ DRV_REG_CABLES, offsetof(struct drv_config, n_cables), 2, 1, LC_MAX_CABLES },
	{ DRV_REG_RING_MS, offsetof(struct drv_config, ring_ms), 250, DRV_RING_MS_MIN,
	  DRV_RING_MS_MAX },
	{ DRV_REG_LOGGING, offsetof(struct drv_config, logging), 0, 0, 1 },
};

/* Security policy, which the administrator sets (drv_security.h): read like the rest,
 * never written (a panel's Apply must not undo it with what it loaded earlier). */
static const struct setting policy_settings[] = {
	{ DRV_REG_ALLOW_LOW_INTEGRITY, offsetof(struct drv_config, allow_low_integrity), 0, 0, 1 },
};

/* Per-cable values default to the global SampleRate/Channels (read with the same
 * rows from the LoopCable key first). */
static const struct setting cable_settings[] = {
	{ DRV_REG_SAMPLE_RATE, offsetof(struct drv_cable_config, rate_hz), 48000,
	  LC_RATE_MIN_HZ, LC_RATE_MAX_HZ },
	{ DRV_REG_CHANNELS, offsetof(struct drv_cable_config, n_channels), 2, 1, LC_MAX_CHANNELS },
};

static uint32_t read_dword(HKEY key, const wchar_t *name, uint32_t def, uint32_t min,
			   uint32_t max)
{
	DWORD value, size = sizeof(value), type;
	if (!key || RegQueryValueExW(key, name, NULL, &type, (BYTE *)&value, &size) != ERROR_SUCCESS
	    || type != REG_DWORD || value < min || value > max)
		return def;
	return value;
}

static void read_settings(HKEY key, const struct setting *rows, size_t n_rows, void *out,
			  const void *defaults)
{
	for (size_t i = 0; i < n_rows; i++) {
		uint32_t def = rows[i].def;
		if (defaults)
			def = *(const uint32_t *)((const char *)defaults + rows[i].offset);
		*(uint32_t *)((char *)out + rows[i].offset) =
			read_dword(key, rows[i].name, def, rows[i].min, rows[i].max);
	}
}

/* The name is stored as UTF-8 in LC_NAME_BYTES (shared memory) and shown in szPname
 * (31 UTF-16 units + NUL): keep at most 31 units, then shorten at a character boundary
 * until the UTF-8 form fits too. */
static void read_name(HKEY key, unsigned cable_number, char out[LC_NAME_BYTES])
{
	wchar_t wide[LC_NAME_BYTES] = L"";
	DWORD size = sizeof(wide) - sizeof(wchar_t), type;
	if (!key || RegQueryValueExW(key, DRV_REG_NAME, NULL, &type, (BYTE *)wide, &size)
			    != ERROR_SUCCESS
	    || type != REG_SZ || size < sizeof(wchar_t))
		_snwprintf(wide, LC_NAME_BYTES - 1, DRV_DEFAULT_NAME_FMT, cable_number);
	wide[LC_NAME_BYTES - 1] = L'\0';
	/* Shorten until the UTF-8 form fits, never splitting a surrogate pair. */
	for (size_t len = wcslen(wide); len > 0; len--) {
		if (len < wcslen(wide) && IS_LOW_SURROGATE(wide[len]))
			continue;
		int n = WideCharToMultiByte(CP_UTF8, 0, wide, (int)len, out, LC_NAME_BYTES - 1,
					    NULL, NULL);
		if (n > 0) {
			out[n] = '\0';
			return;
		}
	}
	snprintf(out, LC_NAME_BYTES, "LoopCable %u", cable_number);
}

void drv_config_read(struct drv_config *config)
{
	HKEY root = NULL;
	if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, DRV_REG_ROOT, 0, KEY_READ | DRV_REG_VIEW, &root)
	    != ERROR_SUCCESS)
		root = NULL;
	read_settings(root, global_settings, ARRAYSIZE(global_settings), config, NULL);
	read_settings(root, policy_settings, ARRAYSIZE(policy_settings), config, NULL);

	struct drv_cable_config defaults;
	read_settings(root, cable_settings, ARRAYSIZE(cable_settings), &defaults, NULL);

	/* All of them: a cable beyond the count keeps its stored name for when the count
	 * grows again. */
	for (uint32_t i = 0; i < LC_MAX_CABLES; i++) {
		wchar_t path[64];
		HKEY key = NULL;
		_snwprintf(path, ARRAYSIZE(path), DRV_REG_CABLE_FMT, i + 1);
		path[ARRAYSIZE(path) - 1] = L'\0';
		if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, path, 0, KEY_READ | DRV_REG_VIEW, &key)
		    != ERROR_SUCCESS)
			key = NULL;
		read_settings(key, cable_settings, ARRAYSIZE(cable_settings), &config->cables[i],
			      &defaults);
		read_name(key, i + 1, config->cables[i].name);
		if (key)
			RegCloseKey(key);
	}
	if (root)
		RegCloseKey(root);
}

static uint32_t ring_frames_for(uint32_t rate_hz, uint32_t ring_ms)
{
	uint64_t want = (uint64_t)rate_hz * ring_ms / 1000;
	uint32_t frames = LC_RING_MIN_FRAMES;
	while (frames < want && frames < LC_RING_MAX_FRAMES)
		frames <<= 1;
	return frames;
}

void drv_config_to_shm(const struct drv_config *config, struct lc_shm_config *out)
{
	memset(out, 0, sizeof(*out));
	out->n_cables = config->n_cables;
	for (uint32_t i = 0; i < config->n_cables && i < LC_MAX_CABLES; i++) {
		memcpy(out->cables[i].name, config->cables[i].name, LC_NAME_BYTES);
		out->cables[i].rate_hz = config->cables[i].rate_hz;
		out->cables[i].n_channels = config->cables[i].n_channels;
		out->cables[i].ring_frames = ring_frames_for(config->cables[i].rate_hz,
							     config->ring_ms);
	}
}

uint64_t drv_config_section_bytes(const struct drv_config *config)
{
	struct lc_shm_config shm_config;
	drv_config_to_shm(config, &shm_config);
	return lc_shm_size_for(&shm_config);
}

static bool in_range(const struct setting *rows, size_t n_rows, const void *in)
{
	for (size_t i = 0; i < n_rows; i++) {
		uint32_t v = *(const uint32_t *)((const char *)in + rows[i].offset);
		if (v < rows[i].min || v > rows[i].max)
			return false;
	}
	return true;
}

static long write_settings(HKEY key, const struct setting *rows, size_t n_rows, const void *in)
{
	for (size_t i = 0; i < n_rows; i++) {
		DWORD v = *(const uint32_t *)((const char *)in + rows[i].offset);
		long error = RegSetValueExW(key, rows[i].name, 0, REG_DWORD, (const BYTE *)&v,
					    sizeof(v));
		if (error != ERROR_SUCCESS)
			return error;
	}
	return ERROR_SUCCESS;
}

static long write_name(HKEY key, const char *name)
{
	wchar_t wide[LC_NAME_BYTES];
	int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, name, -1, wide, LC_NAME_BYTES);
	if (n <= 1)
		return ERROR_INVALID_PARAMETER;
	return RegSetValueExW(key, DRV_REG_NAME, 0, REG_SZ, (const BYTE *)wide,
			      (DWORD)(n * sizeof(wchar_t)));
}

long drv_config_write(const struct drv_config *config)
{
	if (!config || !in_range(global_settings, ARRAYSIZE(global_settings), config))
		return ERROR_INVALID_PARAMETER;
	for (uint32_t i = 0; i < config->n_cables; i++) {
		const char *name = config->cables[i].name;
		if (!in_range(cable_settings, ARRAYSIZE(cable_settings), &config->cables[i])
		    || !memchr(name, '\0', LC_NAME_BYTES) || !name[0])
			return ERROR_INVALID_PARAMETER;
	}
	/* Each value in range is not enough: together they must fit one section. */
	if (!drv_config_section_bytes(config))
		return ERROR_INVALID_PARAMETER;
	HKEY root;
	long error = RegCreateKeyExW(HKEY_LOCAL_MACHINE, DRV_REG_ROOT, 0, NULL, 0,
				     KEY_WRITE | DRV_REG_VIEW, NULL, &root, NULL);
	if (error != ERROR_SUCCESS)
		return error;
	error = write_settings(root, global_settings, ARRAYSIZE(global_settings), config);
	RegCloseKey(root);
	for (uint32_t i = 0; i < config->n_cables && error == ERROR_SUCCESS; i++) {
		wchar_t path[64];
		HKEY key;
		_snwprintf(path, ARRAYSIZE(path), DRV_REG_CABLE_FMT, i + 1);
		path[ARRAYSIZE(path) - 1] = L'\0';
		error = RegCreateKeyExW(HKEY_LOCAL_MACHINE, path, 0, NULL, 0,
					KEY_WRITE | DRV_REG_VIEW, NULL, &key, NULL);
		if (error != ERROR_SUCCESS)
			break;
		error = write_settings(key, cable_settings, ARRAYSIZE(cable_settings),
				       &config->cables[i]);
		if (error == ERROR_SUCCESS)
			error = write_name(key, config->cables[i].name);
		RegCloseKey(key);
	}
	return error;
}

bool drv_parse_decimal(const char *text, uint32_t min, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long long v;
	if (!text || text[0] < '0' || text[0] > '9')
		return false;
	/* strtoull, not strtoul: unsigned long is 32 bits on Windows and would saturate
	 * an overlong number into a valid-looking 4294967295. */
	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return false;
	*out = (uint32_t)v;
	return true;
}

static const struct setting *row_named(const struct setting *rows, size_t n, const wchar_t *name)
{
	for (size_t i = 0; i < n; i++)
		if (wcscmp(rows[i].name, name) == 0)
			return &rows[i];
	return NULL;
}

bool drv_config_set(struct drv_config *config, const char *assignment, const char **why)
{
	const char *eq = strchr(assignment, '=');
	char key[32];
	unsigned k = 0;
	int used = 0;
	const struct setting *row = NULL;
	uint32_t *target = NULL, number;

	*why = "expected KEY=VALUE";
	if (!eq || (size_t)(eq - assignment) >= sizeof(key))
		return false;
	memcpy(key, assignment, (size_t)(eq - assignment));
	key[eq - assignment] = '\0';
	const char *value = eq + 1;

	if (strcmp(key, "cables") == 0) {
		row = row_named(global_settings, ARRAYSIZE(global_settings), DRV_REG_CABLES);
		target = &config->n_cables;
		*why = "cables must be 1 to 32";
	} else if (strcmp(key, "ring_ms") == 0) {
		row = row_named(global_settings, ARRAYSIZE(global_settings), DRV_REG_RING_MS);
		target = &config->ring_ms;
		*why = "ring_ms must be 20 to 2000";
	} else if (strcmp(key, "logging") == 0) {
		row = row_named(global_settings, ARRAYSIZE(global_settings), DRV_REG_LOGGING);
		target = &config->logging;
		*why = "logging must be 0 or 1";
	} else if (sscanf(key, "name%u%n", &k, &used) == 1 && key[used] == '\0' && k >= 1 &&
		   k <= LC_MAX_CABLES) {
		size_t len = strlen(value);
		wchar_t wide[LC_NAME_BYTES];
		*why = "a name must be 1 to 31 characters";
		if (len == 0 || len >= LC_NAME_BYTES ||
		    MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, value, -1, wide,
					LC_NAME_BYTES) <= 1)
			return false;
		for (const char *c = value; *c; c++)
			if ((unsigned char)*c < 0x20)
				return false;
		memcpy(config->cables[k - 1].name, value, len + 1);
		*why = NULL;
		return true;
	} else if (sscanf(key, "rate%u%n", &k, &used) == 1 && key[used] == '\0' && k >= 1 &&
		   k <= LC_MAX_CABLES) {
		row = row_named(cable_settings, ARRAYSIZE(cable_settings), DRV_REG_SAMPLE_RATE);
		target = &config->cables[k - 1].rate_hz;
		*why = "a rate must be 8000 to 384000 Hz";
	} else if (sscanf(key, "channels%u%n", &k, &used) == 1 && key[used] == '\0' && k >= 1 &&
		   k <= LC_MAX_CABLES) {
		row = row_named(cable_settings, ARRAYSIZE(cable_settings), DRV_REG_CHANNELS);
		target = &config->cables[k - 1].n_channels;
		*why = "channels must be 1 to 32";
	} else {
		*why = "unknown setting (cables, ring_ms, logging, nameK, rateK, channelsK)";
		return false;
	}
	if (!row || !drv_parse_decimal(value, row->min, row->max, &number))
		return false;
	*target = number;
	*why = NULL;
	return true;
}
