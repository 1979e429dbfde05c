/* SPDX-License-Identifier: MIT */
/* drv_main.h — what the DLL's door offers the rest of the driver. */
#ifndef DRV_MAIN_H
#define DRV_MAIN_H

#include <windows.h>

/* The driver DLL's own module handle (for resources and its file name). */
HINSTANCE drv_main_module(void);

#endif /* DRV_MAIN_H */
