/* SPDX-License-Identifier: MIT */
/* lc_driver_link.c — OpenDriver, window registration, the message filter and the private
 * driver messages (lc_driver_link.h). */
#include <windows.h>
#include <mmsystem.h>
#include <gdk/gdkwin32.h>
#include <wchar.h>

#include "drv_panel.h"
#include "drv_regkeys.h"
#include "lc_driver_link.h"

struct lc_driver_link {
	HDRVR driver;
	HWND hwnd;
	GdkWindow *gdk_window;
	lc_driver_link_event_cb on_event;
	gpointer user_data;
	char alias[16];
};

/* The Drivers32 value ("wave", "wave1" … "wave9") whose file is loopcable.dll. */
static gboolean find_alias(wchar_t alias[16])
{
	HKEY key;
	if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, DRV_REG_DRIVERS32, 0, KEY_READ, &key) != ERROR_SUCCESS)
		return FALSE;
	gboolean found = FALSE;
	for (int i = 0; i <= 9 && !found; i++) {
		wchar_t name[16], data[MAX_PATH];
		DWORD size = sizeof(data) - sizeof(wchar_t), type;
		if (i == 0)
			wcscpy(name, L"wave");
		else
			swprintf(name, 16, L"wave%d", i);
		if (RegQueryValueExW(key, name, NULL, &type, (BYTE *)data, &size) != ERROR_SUCCESS
		    || type != REG_SZ)
			continue;
		data[size / sizeof(wchar_t)] = L'\0';
		const wchar_t *base = wcsrchr(data, L'\\');
		const wchar_t *slash = wcsrchr(data, L'/');
		if (slash && (!base || slash > base))
			base = slash;
		base = base ? base + 1 : data;
		if (_wcsicmp(base, L"loopcable.dll") == 0) {
			wcscpy(alias, name);
			found = TRUE;
		}
	}
	RegCloseKey(key);
	return found;
}

static GdkFilterReturn filter(GdkXEvent *xevent, GdkEvent *event, gpointer data)
{
	(void)event;
	const MSG *msg = (const MSG *)xevent;
	struct lc_driver_link *link = data;
	if (msg->message != LC_WM_DRIVER_EVENT)
		return GDK_FILTER_CONTINUE;
	link->on_event((uint32_t)msg->lParam, link->user_data);
	return GDK_FILTER_REMOVE;
}

struct lc_driver_link *lc_driver_link_new(GtkWidget *window, lc_driver_link_event_cb on_event,
					  gpointer user_data, GError **error)
{
	wchar_t alias[16];
	if (!find_alias(alias)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
			    "loopcable.dll is not registered in Drivers32");
		return NULL;
	}
	GdkWindow *gdk_window = gtk_widget_get_window(window);
	g_return_val_if_fail(gdk_window != NULL, NULL);
	struct lc_driver_link *link = g_new0(struct lc_driver_link, 1);
	link->hwnd = gdk_win32_window_get_handle(gdk_window);
	link->gdk_window = g_object_ref(gdk_window);
	link->on_event = on_event;
	link->user_data = user_data;
	WideCharToMultiByte(CP_UTF8, 0, alias, -1, link->alias, sizeof(link->alias), NULL, NULL);
	link->driver = OpenDriver(alias, L"Drivers32", 0);
	if (!link->driver) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
			    "the driver (%s) could not be opened (error %lu)", link->alias,
			    GetLastError());
		lc_driver_link_free(link);
		return NULL;
	}
	if (!SendDriverMessage(link->driver, LC_DRV_REGISTER_WINDOW, (LPARAM)link->hwnd, 0)) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED,
			    "the driver (%s) refused the panel window %p (IsWindow: %d)",
			    link->alias, (void *)link->hwnd, IsWindow(link->hwnd));
		lc_driver_link_free(link);
		return NULL;
	}
	gdk_window_add_filter(gdk_window, filter, link);
	return link;
}

void lc_driver_link_free(struct lc_driver_link *link)
{
	if (!link)
		return;
	gdk_window_remove_filter(link->gdk_window, filter, link);
	if (link->driver) {
		SendDriverMessage(link->driver, LC_DRV_UNREGISTER_WINDOW, (LPARAM)link->hwnd, 0);
		CloseDriver(link->driver, 0, 0);
	}
	g_clear_object(&link->gdk_window);
	g_free(link);
}

gboolean lc_driver_link_reregister(struct lc_driver_link *link)
{
	g_return_val_if_fail(link != NULL, FALSE);
	return SendDriverMessage(link->driver, LC_DRV_REGISTER_WINDOW, (LPARAM)link->hwnd, 0) != 0;
}

guint32 lc_driver_link_apply(struct lc_driver_link *link)
{
	g_return_val_if_fail(link != NULL, 0);
	return (guint32)SendDriverMessage(link->driver, LC_DRV_APPLY_CONFIG, 0, 0);
}

const char *lc_driver_link_alias(const struct lc_driver_link *link)
{
	return link->alias;
}
