/* SPDX-License-Identifier: MIT */
/*
 * drv_regkeys.h — every registry path and value name, and every named kernel object,
 * LoopCable uses, in one place (the driver, the panel, the CLI and the installer).
 *
 *   HKLM\Software\LoopCable      (read when a section generation is created: changes
 *                                 take effect when published, LC_DRV_APPLY_CONFIG)
 *     Cables        DWORD  number of cables                 1 .. 32       (2)
 *     SampleRate    DWORD  default cable rate in Hz         8000 .. 384000 (48000)
 *     Channels      DWORD  default cable channel count      1 .. 32       (2)
 *     RingMs        DWORD  writer ring length in ms         20 .. 2000    (250)
 *     Logging       DWORD  1: log to %LOCALAPPDATA%\LoopCable\driver.log (0)
 *     PanelPath     SZ     the control panel's executable (the installer writes it)
 *     AllowLowIntegrity DWORD 1: low-integrity (sandboxed) processes may open the
 *                   sections (drv_security.h); read when a section is created, never
 *                   written by the driver or the panel                (0)
 *     Cable<k>\     per-cable overrides, k = 1 .. 32 (beyond Cables: kept for when
 *                   the count grows again):
 *       Name        SZ     device name, <= 31 characters    ("LoopCable <k>")
 *       SampleRate  DWORD
 *       Channels    DWORD
 *
 *   HKCU\Software\LoopCable\Routes\<id>   one key per forwarding route, id 1 .. 9999
 *                                 (panel/lc_routes_reg.h; per user: a route names the
 *                                 user's own audio devices and runs in the user's
 *                                 router, docs/forwarding.md)
 *     Cable       DWORD  1-based cable number
 *     Direction   SZ     "listen" (cable -> device) or "feed" (device -> cable)
 *     HostApi     SZ     PortAudio host API name, "" = any
 *     Device      SZ     device name, "" = the system default
 *     LatencyMs   DWORD  3 .. 500                               (20)
 *     Enabled     DWORD  0 or 1                                 (1)
 */
#ifndef DRV_REGKEYS_H
#define DRV_REGKEYS_H

#include <stdint.h>
#include <stdio.h>
#include <wchar.h>

/* LoopCable's own keys live in the 64-bit registry view for both bitnesses: a 32-bit
 * client reading HKLM\Software would be redirected to WOW6432Node and build cables
 * that differ from the 64-bit ones on the same section.  (Drivers32 is per view on
 * purpose: each bitness registers its own DLL.) */
#define DRV_REG_VIEW KEY_WOW64_64KEY

#define DRV_REG_ROOT L"Software\\LoopCable"
#define DRV_REG_CABLE_FMT L"Software\\LoopCable\\Cable%u"

#define DRV_REG_CABLES L"Cables"
#define DRV_REG_SAMPLE_RATE L"SampleRate"
#define DRV_REG_CHANNELS L"Channels"
#define DRV_REG_RING_MS L"RingMs"
#define DRV_REG_LOGGING L"Logging"
#define DRV_REG_NAME L"Name"
#define DRV_REG_PANEL_PATH L"PanelPath"
#define DRV_REG_ALLOW_LOW_INTEGRITY L"AllowLowIntegrity"

#define DRV_REG_ROUTES L"Software\\LoopCable\\Routes"
#define DRV_REG_ROUTE_CABLE L"Cable"
#define DRV_REG_ROUTE_DIRECTION L"Direction"
#define DRV_REG_ROUTE_HOST_API L"HostApi"
#define DRV_REG_ROUTE_DEVICE L"Device"
#define DRV_REG_ROUTE_LATENCY L"LatencyMs"
#define DRV_REG_ROUTE_ENABLED L"Enabled"

/* The router (panel/router/): one per session, held by this mutex; its state is in its
 * own section (lc_router_status.h), alive exactly as long as the router. */
#define DRV_ROUTER_MUTEX_NAME L"Local\\LoopCable-router"
#define DRV_ROUTER_SECTION_NAME L"Local\\LoopCable-router-status-abi1"

/* Where winmm finds installable drivers (both registry views on 64-bit Windows). */
#define DRV_REG_DRIVERS32 L"Software\\Microsoft\\Windows NT\\CurrentVersion\\Drivers32"

#define DRV_DEFAULT_NAME_FMT L"LoopCable %u"

/* The shared sections, per session and ABI version (a driver of another version never
 * maps this layout: lc_shm_layout.h, LC_SHM_ABI_VERSION).  The directory names the
 * current generation; each generation's section is its own mapping (drv_shm.h). */
#define DRV_DIRECTORY_NAME L"Local\\LoopCable-abi2"
#define DRV_SECTION_NAME_FMT L"Local\\LoopCable-abi2-g%u"
#define DRV_SECTION_NAME_CHARS 48

/* The name of generation `number`'s section (the driver maps it, tools open it). */
static inline void drv_section_name(uint32_t number, wchar_t name[DRV_SECTION_NAME_CHARS])
{
	_snwprintf(name, DRV_SECTION_NAME_CHARS, DRV_SECTION_NAME_FMT, number);
	name[DRV_SECTION_NAME_CHARS - 1] = L'\0';
}

#endif /* DRV_REGKEYS_H */
