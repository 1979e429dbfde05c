/* SPDX-License-Identifier: MIT */
/*
 * lc_devnode.exe — the installer's helper for the MEDIA-class device node that Windows
 * 10 2004 and later want behind a user-mode winmm driver (docs/installer.md, "The
 * device node").  The setup runs it; nothing else needs it.
 *
 *   lc_devnode add ALIAS DLL DESCRIPTION   create the node, fill its driver key
 *   lc_devnode remove                      remove every node with our hardware ID
 *   lc_devnode list                        print each node and its driver key
 *
 * A node is found again by its hardware ID (LC_HARDWARE_ID), never by position, so
 * another product's MEDIA devices are never touched.  Its driver key (the one
 * SetupDiCreateDevRegKey gives for DIREG_DRV) holds what the MME device list reads:
 *
 *   DriverDesc                    DESCRIPTION
 *   Drivers\SubClasses            "wave"
 *   Drivers\wave\DLL\Driver       DLL
 *   Drivers\wave\DLL\Description  DESCRIPTION
 *   Drivers\wave\DLL\Alias        ALIAS (the Drivers32 value name, "wave<N>")
 *
 * `add` replaces an existing node of ours (an upgrade, or a new alias).  Output: one
 * line per node, "lc_devnode: <verb> <instance id> <driver key>", then "lc_devnode:
 * ok"; on failure a line naming the SetupAPI call and its error.  Exit codes: 0 done,
 * 1 a SetupAPI or registry call failed, 2 bad arguments.
 */
#include <windows.h>
#include <cfgmgr32.h>
#include <devguid.h>
#include <setupapi.h>
#include <stdio.h>
#include <wchar.h>

#define LC_HARDWARE_ID L"Root\\LoopCable"
/* The multi-string form of the hardware ID property: the ID and an empty string. */
static const wchar_t hardware_id_multi[] = LC_HARDWARE_ID L"\0";

static int fail(const char *what)
{
	fprintf(stderr, "lc_devnode: %s failed: error %lu\n", what, GetLastError());
	return 1;
}

/* Whether device `data` of `set` carries our hardware ID. */
static BOOL is_ours(HDEVINFO set, SP_DEVINFO_DATA *data)
{
	wchar_t ids[512];
	DWORD type = 0;
	if (!SetupDiGetDeviceRegistryPropertyW(set, data, SPDRP_HARDWAREID, &type, (BYTE *)ids,
					       sizeof(ids) - sizeof(wchar_t) * 2, NULL))
		return FALSE;
	ids[511] = L'\0';
	ids[510] = L'\0';
	for (const wchar_t *id = ids; *id; id += wcslen(id) + 1)
		if (_wcsicmp(id, LC_HARDWARE_ID) == 0)
			return TRUE;
	return FALSE;
}

/* The driver key's path under HKLM as SetupAPI keeps it ("{class guid}\NNNN"). */
static void driver_key_name(HDEVINFO set, SP_DEVINFO_DATA *data, wchar_t *out, DWORD chars)
{
	if (!SetupDiGetDeviceRegistryPropertyW(set, data, SPDRP_DRIVER, NULL, (BYTE *)out,
					       chars * sizeof(wchar_t), NULL))
		_snwprintf(out, chars, L"(none)");
	out[chars - 1] = L'\0';
}

static void print_node(const char *verb, HDEVINFO set, SP_DEVINFO_DATA *data)
{
	wchar_t instance[MAX_DEVICE_ID_LEN], driver[256];
	if (!SetupDiGetDeviceInstanceIdW(set, data, instance, MAX_DEVICE_ID_LEN, NULL))
		_snwprintf(instance, MAX_DEVICE_ID_LEN, L"(unknown)");
	driver_key_name(set, data, driver, 256);
	printf("lc_devnode: %s %ls %ls\n", verb, instance, driver);
}

/* Wine's SetupAPI creates the MEDIA class key (an empty one) along with the first
 * node; Windows has it from the start, with the class's values.  An empty one is
 * deleted after our nodes, so that nothing of ours is left. */
static void remove_empty_class_key(void)
{
	static const wchar_t path[] = L"System\\CurrentControlSet\\Control\\Class\\"
				      L"{4d36e96c-e325-11ce-bfc1-08002be10318}";
	HKEY key;
	if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, path, 0, KEY_READ, &key) != ERROR_SUCCESS)
		return;
	DWORD subkeys = 1, values = 1;
	LSTATUS status = RegQueryInfoKeyW(key, NULL, NULL, NULL, &subkeys, NULL, NULL, &values,
					  NULL, NULL, NULL, NULL);
	RegCloseKey(key);
	if (status == ERROR_SUCCESS && subkeys == 0 && values == 0)
		RegDeleteKeyW(HKEY_LOCAL_MACHINE, path);
}

/* Visits every MEDIA-class node of ours, present or not; `remove` removes each.
 * Returns the number visited, or -1 after a failed removal. */
static int for_each_node(BOOL remove)
{
	HDEVINFO set = SetupDiGetClassDevsW(&GUID_DEVCLASS_MEDIA, NULL, NULL, 0);
	if (set == INVALID_HANDLE_VALUE) {
		fail("SetupDiGetClassDevs");
		return -1;
	}
	int visited = 0;
	SP_DEVINFO_DATA data = { .cbSize = sizeof(data) };
	for (DWORD i = 0; SetupDiEnumDeviceInfo(set, i, &data); i++) {
		if (!is_ours(set, &data))
			continue;
		visited++;
		print_node(remove ? "removed" : "node", set, &data);
		if (!remove)
			continue;
		/* The driver key first: DIF_REMOVE drops the node, after which its driver
		 * key can no longer be found by the node.  Wine's SetupDiDeleteDevRegKey
		 * deletes only a key without subkeys (docs/installer.md), so our subtree
		 * goes first. */
		HKEY key = SetupDiOpenDevRegKey(set, &data, DICS_FLAG_GLOBAL, 0, DIREG_DRV,
						KEY_ALL_ACCESS);
		if (key != INVALID_HANDLE_VALUE) {
			RegDeleteTreeW(key, L"Drivers");
			RegCloseKey(key);
		}
		if (!SetupDiDeleteDevRegKey(set, &data, DICS_FLAG_GLOBAL, 0, DIREG_DRV))
			printf("lc_devnode: SetupDiDeleteDevRegKey: error %lu\n", GetLastError());
		if (!SetupDiCallClassInstaller(DIF_REMOVE, set, &data)) {
			fail("SetupDiCallClassInstaller(DIF_REMOVE)");
			SetupDiDestroyDeviceInfoList(set);
			return -1;
		}
	}
	SetupDiDestroyDeviceInfoList(set);
	if (remove && visited > 0)
		remove_empty_class_key();
	return visited;
}

static LSTATUS set_string(HKEY key, const wchar_t *name, const wchar_t *value)
{
	return RegSetValueExW(key, name, 0, REG_SZ, (const BYTE *)value,
			      (DWORD)((wcslen(value) + 1) * sizeof(wchar_t)));
}

/* Fills the driver key (the layout in the header). */
static int fill_driver_key(HKEY key, const wchar_t *alias, const wchar_t *dll,
			   const wchar_t *description)
{
	wchar_t sub[MAX_PATH + 32];
	_snwprintf(sub, MAX_PATH + 32, L"Drivers\\wave\\%ls", dll);
	sub[MAX_PATH + 31] = L'\0';
	HKEY drivers = NULL, wave = NULL;
	LSTATUS status = set_string(key, L"DriverDesc", description);
	if (status == ERROR_SUCCESS)
		status = RegCreateKeyExW(key, L"Drivers", 0, NULL, 0, KEY_WRITE, NULL, &drivers,
					 NULL);
	if (status == ERROR_SUCCESS)
		status = set_string(drivers, L"SubClasses", L"wave");
	if (status == ERROR_SUCCESS)
		status = RegCreateKeyExW(key, sub, 0, NULL, 0, KEY_WRITE, NULL, &wave, NULL);
	if (status == ERROR_SUCCESS)
		status = set_string(wave, L"Driver", dll);
	if (status == ERROR_SUCCESS)
		status = set_string(wave, L"Description", description);
	if (status == ERROR_SUCCESS)
		status = set_string(wave, L"Alias", alias);
	if (wave)
		RegCloseKey(wave);
	if (drivers)
		RegCloseKey(drivers);
	if (status != ERROR_SUCCESS) {
		SetLastError((DWORD)status);
		return fail("writing the driver key");
	}
	return 0;
}

static int add_node(const wchar_t *alias, const wchar_t *dll, const wchar_t *description)
{
	if (for_each_node(TRUE) < 0)
		return 1;
	HDEVINFO set = SetupDiCreateDeviceInfoList(&GUID_DEVCLASS_MEDIA, NULL);
	if (set == INVALID_HANDLE_VALUE)
		return fail("SetupDiCreateDeviceInfoList");
	SP_DEVINFO_DATA data = { .cbSize = sizeof(data) };
	int rc = 0;
	HKEY key = INVALID_HANDLE_VALUE;
	DWORD description_bytes = (DWORD)((wcslen(description) + 1) * sizeof(wchar_t));
	/* DICD_GENERATE_ID: the name is a class-like stem, SetupAPI numbers the instance
	 * (ROOT\MEDIA\NNNN), so it never collides with another root-enumerated node. */
	if (!SetupDiCreateDeviceInfoW(set, L"MEDIA", &GUID_DEVCLASS_MEDIA, description, NULL,
				      DICD_GENERATE_ID, &data))
		rc = fail("SetupDiCreateDeviceInfo");
	else if (!SetupDiSetDeviceRegistryPropertyW(set, &data, SPDRP_HARDWAREID,
						    (const BYTE *)hardware_id_multi,
						    sizeof(hardware_id_multi)))
		rc = fail("SetupDiSetDeviceRegistryProperty(SPDRP_HARDWAREID)");
	else if (!SetupDiCallClassInstaller(DIF_REGISTERDEVICE, set, &data))
		rc = fail("SetupDiCallClassInstaller(DIF_REGISTERDEVICE)");
	else if (!SetupDiSetDeviceRegistryPropertyW(set, &data, SPDRP_DEVICEDESC,
						    (const BYTE *)description, description_bytes))
		rc = fail("SetupDiSetDeviceRegistryProperty(SPDRP_DEVICEDESC)");
	else if ((key = SetupDiCreateDevRegKeyW(set, &data, DICS_FLAG_GLOBAL, 0, DIREG_DRV, NULL,
						NULL)) == INVALID_HANDLE_VALUE)
		rc = fail("SetupDiCreateDevRegKey(DIREG_DRV)");
	else
		rc = fill_driver_key(key, alias, dll, description);
	if (key != INVALID_HANDLE_VALUE)
		RegCloseKey(key);
	if (rc == 0)
		print_node("added", set, &data);
	else if (data.DevInst)
		/* A half-made node is no use to anyone: take it back. */
		SetupDiCallClassInstaller(DIF_REMOVE, set, &data);
	SetupDiDestroyDeviceInfoList(set);
	return rc;
}

int wmain(int argc, wchar_t **argv)
{
	int rc;
	if (argc == 5 && wcscmp(argv[1], L"add") == 0)
		rc = add_node(argv[2], argv[3], argv[4]);
	else if (argc == 2 && wcscmp(argv[1], L"remove") == 0)
		rc = for_each_node(TRUE) < 0;
	else if (argc == 2 && wcscmp(argv[1], L"list") == 0)
		rc = for_each_node(FALSE) < 0;
	else {
		fprintf(stderr, "usage: lc_devnode add ALIAS DLL DESCRIPTION | remove | list\n");
		return 2;
	}
	if (rc == 0)
		printf("lc_devnode: ok\n");
	return rc;
}
