/* SPDX-License-Identifier: MIT */
/*
 * drv_launch.h — starting the control panel from places that must not show UI of
 * their own: the driver's DRV_CONFIGURE (it runs inside any host process) and the
 * Control Panel applet.  The panel is a separate process; these only start it.
 *
 * Where it is: HKLM\Software\LoopCable "PanelPath" (written by the installer), else
 * loopcable-panel.exe beside the calling module (a build tree, a portable copy).
 */
#ifndef DRV_LAUNCH_H
#define DRV_LAUNCH_H

#include <windows.h>
#include <stdbool.h>

/* Fills path (MAX_PATH) with the panel's executable if it exists. */
bool drv_launch_find_panel(HMODULE caller, wchar_t path[MAX_PATH]);

/* Starts the panel (a running one raises its window: it is single-instance).
 * @return true if a process was started. */
bool drv_launch_panel(HMODULE caller);

#endif /* DRV_LAUNCH_H */
