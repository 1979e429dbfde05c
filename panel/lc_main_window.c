/* SPDX-License-Identifier: MIT */
/* lc_main_window.c — the panel's window (lc_main_window.h). */
#include <windows.h>

#include "lc_main_window.h"

#include <stdio.h>

#include "drv_regkeys.h"
#include "lc_cable_row.h"
#include "lc_driver_link.h"
#include "lc_event.h"
#include "lc_routes_page.h"
#include "lc_settings_page.h"
#include "lc_status.h"

/* Meters and counters are read from the section this often (display rate). */
#define REFRESH_MS 50
/* While the driver cannot be linked, it is tried again this often. */
#define LINK_RETRY_US G_USEC_PER_SEC
/* --test-settings waits this long for the driver before it is entered anyway. */
#define TEST_SETTINGS_WAIT_MS 10000
/* The view shown last is shown again at the next start, per user: REG_SZ "cables",
 * "routes" or "settings", the view's name in the stack. */
#define VIEW_KEY DRV_REG_ROOT L"\\Panel"
#define VIEW_VALUE L"View"

/* Forward: refresh_cb retries the link. */
static void try_link(LcMainWindow *self);

struct _LcMainWindow {
	GtkApplicationWindow parent;
	GtkWidget *status_label;
	GtkWidget *cables_button;
	GtkWidget *routes_button;
	GtkWidget *settings_button;
	GtkWidget *view_stack;
	GtkWidget *cable_list;
	GtkWidget *event_log;
	GtkWidget *settings_page;
	GtkWidget *routes_page;
	struct lc_driver_link *link;
	LcCableRow *rows[LC_MAX_CABLES];
	uint32_t n_rows;
	guint refresh_id;
	char *dump_path;
	uint32_t n_events;
	/* The last Apply: the generation it published (0: none yet or failed), and why it
	 * failed. */
	guint32 applied_generation;
	char *apply_error;
	char *link_error; /* why the window could not be linked to the driver */
	char *test_settings; /* --test-settings, entered once linked (lc_settings_page.h) */
	guint test_settings_id;
	char *test_routes;          /* --test-routes: the file of steps (lc_routes_page.h) */
	long test_routes_done;      /* bytes of it entered so far */
	gint64 link_tried_at; /* monotonic µs of the last attempt to link to the driver */
	/* The last refresh.  On the heap: GType instance sizes must fit 16 bits. */
	struct lc_status *status;
};

G_DEFINE_TYPE(LcMainWindow, lc_main_window, GTK_TYPE_APPLICATION_WINDOW)

static void log_line(LcMainWindow *self, const char *text)
{
	GtkTextBuffer *buffer = gtk_text_view_get_buffer(GTK_TEXT_VIEW(self->event_log));
	GtkTextIter end;
	gtk_text_buffer_get_end_iter(buffer, &end);
	g_autoptr(GDateTime) now = g_date_time_new_now_local();
	g_autofree char *stamp = g_date_time_format(now, "%H:%M:%S");
	g_autofree char *line = g_strdup_printf("%s  %s\n", stamp, text);
	gtk_text_buffer_insert(buffer, &end, line, -1);
	gtk_text_view_scroll_to_mark(GTK_TEXT_VIEW(self->event_log),
				     gtk_text_buffer_get_insert(buffer), 0, FALSE, 0, 0);
}

static void dump(LcMainWindow *self)
{
	FILE *f = fopen(self->dump_path, "w");
	if (!f)
		return;
	const struct lc_status *st = self->status;
	fprintf(f, "running=%d\ncables=%u\nevents=%u\nlinked=%d\n", st->running, st->n_cables,
		self->n_events, self->link != NULL);
	fprintf(f, "generation=%u\napplied=%u\ndetached=%u\n", st->config_generation,
		self->applied_generation, st->n_detached);
	if (self->apply_error)
		fprintf(f, "apply_error=\"%s\"\n", self->apply_error);
	if (self->link_error)
		fprintf(f, "link_error=\"%s\"\n", self->link_error);
	for (uint32_t c = 0; c < st->n_cables; c++) {
		const struct lc_status_cable *cable = &st->cables[c];
		fprintf(f, "cable %u name=\"%s\" rate=%u channels=%u clients=%u\n", c + 1, cable->name,
			cable->rate_hz, cable->n_channels, cable->n_clients);
		for (uint32_t i = 0; i < cable->n_clients; i++) {
			const struct lc_status_client *cl = &cable->clients[i];
			char fmt[64];
			lc_status_format_name(&cl->fmt, fmt, sizeof(fmt));
			fprintf(f, "client cable=%u kind=%s pid=%u format=\"%s\" process=\"%s\" buffer=%u\n",
				c + 1, cl->kind == LC_SLOT_WRITER ? "player" : "recorder", cl->pid, fmt,
				cl->process, cl->buffer_bytes);
		}
	}
	lc_routes_page_dump(LC_ROUTES_PAGE(self->routes_page), f);
	fclose(f);
}

/* Keeps the rows that still show their cable; a cable that was added, renamed or got
 * another rate or channel count gets a new row (its meters follow the channels). */
static void sync_rows(LcMainWindow *self, const struct lc_status *st)
{
	uint32_t n = MIN(st->n_cables, LC_MAX_CABLES);
	for (uint32_t c = 0; c < MAX(n, self->n_rows); c++) {
		if (c < n && c < self->n_rows && lc_cable_row_shows(self->rows[c], &st->cables[c]))
			continue;
		if (c < self->n_rows)
			gtk_widget_destroy(GTK_WIDGET(self->rows[c]));
		self->rows[c] = NULL;
		if (c < n) {
			GtkWidget *row = lc_cable_row_new(c, &st->cables[c]);
			gtk_list_box_insert(GTK_LIST_BOX(self->cable_list), row, (int)c);
			self->rows[c] = LC_CABLE_ROW(row);
		}
	}
	self->n_rows = n;
}

/* Enters the whole lines appended to the --test-routes file since the last refresh,
 * on the Routes page, shown (a user's clicks happen on a page in view). */
static void enter_test_routes(LcMainWindow *self)
{
	FILE *f = fopen(self->test_routes, "rb");
	if (!f)
		return;
	char line[512];
	while (fseek(f, self->test_routes_done, SEEK_SET) == 0 && fgets(line, sizeof(line), f)) {
		size_t n = strlen(line);
		if (n == 0 || line[n - 1] != '\n')
			break; /* not all written yet */
		self->test_routes_done += (long)n;
		g_strchomp(line);
		gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(self->routes_button), TRUE);
		g_autoptr(GError) error = NULL;
		g_autofree char *said = NULL;
		if (lc_routes_page_enter_test_step(LC_ROUTES_PAGE(self->routes_page), line, &error))
			said = g_strdup_printf("Test step: %s", line);
		else
			said = g_strdup_printf("Test step refused: %s: %s", line, error->message);
		g_printerr("loopcable-panel: %s\n", said);
		log_line(self, said);
	}
	fclose(f);
}

static gboolean refresh_cb(gpointer data)
{
	LcMainWindow *self = data;
	if (!self->link && self->link_tried_at
	    && g_get_monotonic_time() - self->link_tried_at >= LINK_RETRY_US)
		try_link(self);
	if (self->test_routes)
		enter_test_routes(self);
	/* The routes do not depend on the driver's section: shown whatever its state. */
	lc_routes_page_refresh(LC_ROUTES_PAGE(self->routes_page));
	if (lc_status_read(self->status) != 0) {
		gtk_label_set_text(GTK_LABEL(self->status_label), "The shared section is damaged");
		return G_SOURCE_CONTINUE;
	}
	const struct lc_status *st = self->status;
	sync_rows(self, st);
	uint32_t n_clients = 0;
	for (uint32_t c = 0; c < self->n_rows; c++) {
		lc_cable_row_update(self->rows[c], &st->cables[c]);
		n_clients += st->cables[c].n_clients;
	}
	/* Clients left on a cable that a settings change removed or reformatted play on
	 * by themselves until they close: say so, or they would be invisible. */
	g_autofree char *detached = st->n_detached
		? g_strdup_printf(", %u on cables changed since they opened", st->n_detached)
		: g_strdup("");
	g_autofree char *summary = g_strdup_printf("%u cable%s, %u client%s%s", st->n_cables,
						   st->n_cables == 1 ? "" : "s", n_clients,
						   n_clients == 1 ? "" : "s", detached);
	gtk_label_set_text(GTK_LABEL(self->status_label), summary);
	if (self->dump_path)
		dump(self);
	return G_SOURCE_CONTINUE;
}

/* New settings were published: the driver keeps our registration only if we ask again
 * (drv_panel.h), the cables may differ, and the Settings page should show them unless
 * the user is editing. */
static void config_changed(LcMainWindow *self)
{
	if (self->link && !lc_driver_link_reregister(self->link))
		log_line(self, "The driver refused the panel window after the change: "
			       "no more live events");
	lc_routes_page_reload_cables(LC_ROUTES_PAGE(self->routes_page));
	refresh_cb(self);
	lc_settings_page_reload(LC_SETTINGS_PAGE(self->settings_page));
}

static void driver_event_cb(uint32_t packed, gpointer data)
{
	LcMainWindow *self = data;
	static const char *const what[] = {
		"", "client opened", "client closed", "format changed", "underflow", "overflow",
		"configuration changed", "volume changed",
	};
	G_STATIC_ASSERT(G_N_ELEMENTS(what) == LC_EVENT_COUNT);
	struct lc_event ev;
	if (!lc_event_unpack(packed, &ev))
		return;
	self->n_events++;
	/* Refresh now rather than at the next tick: within 100 ms of the event. */
	if (ev.id == LC_EVENT_CONFIG_CHANGED)
		config_changed(self);
	else
		refresh_cb(self);
	const char *cable = ev.cable < self->status->n_cables ? self->status->cables[ev.cable].name : "";
	const char *kind = ev.kind == LC_EVENT_KIND_WRITER ? " (player)"
			   : ev.kind == LC_EVENT_KIND_READER ? " (recorder)" : "";
	g_autofree char *line = g_strdup_printf("%s%s%s%s", cable, *cable ? ": " : "", what[ev.id], kind);
	log_line(self, line);
}

static void settings_page_applied_cb(LcMainWindow *self, guint generation, const char *error)
{
	self->applied_generation = generation;
	g_free(self->apply_error);
	self->apply_error = g_strdup(error);
	g_autofree char *line = error ? g_strdup_printf("Settings not applied: %s", error)
				      : g_strdup_printf("Settings applied (generation %u)", generation);
	log_line(self, line);
	if (self->dump_path)
		dump(self);
}

/* The views, by index: their names in the stack and in the registry (VIEW_VALUE). */
static const char *const view_names[] = { "cables", "routes", "settings" };
static const wchar_t *const view_stored[] = { L"cables", L"routes", L"settings" };

static GtkWidget *view_button(LcMainWindow *self, size_t view)
{
	GtkWidget *const buttons[] = { self->cables_button, self->routes_button,
				       self->settings_button };
	G_STATIC_ASSERT(G_N_ELEMENTS(buttons) == G_N_ELEMENTS(view_names));
	return buttons[view];
}

static void remember_view(size_t view)
{
	HKEY key;
	if (RegCreateKeyExW(HKEY_CURRENT_USER, VIEW_KEY, 0, NULL, 0, KEY_SET_VALUE, NULL, &key,
			    NULL) != ERROR_SUCCESS)
		return;
	RegSetValueExW(key, VIEW_VALUE, 0, REG_SZ, (const BYTE *)view_stored[view],
		       (DWORD)((wcslen(view_stored[view]) + 1) * sizeof(wchar_t)));
	RegCloseKey(key);
}

/* The view shown last; Cables (0) when none was remembered. */
static size_t remembered_view(void)
{
	wchar_t name[16];
	DWORD size = sizeof(name);
	if (RegGetValueW(HKEY_CURRENT_USER, VIEW_KEY, VIEW_VALUE, RRF_RT_REG_SZ, NULL, name,
			 &size) == ERROR_SUCCESS)
		for (size_t view = 0; view < G_N_ELEMENTS(view_stored); view++)
			if (wcscmp(name, view_stored[view]) == 0)
				return view;
	return 0;
}

/* Both buttons of a switch toggle: the one turned on decides. */
static void view_button_toggled_cb(LcMainWindow *self, GtkToggleButton *button)
{
	if (!gtk_toggle_button_get_active(button))
		return;
	for (size_t view = 0; view < G_N_ELEMENTS(view_names); view++) {
		if (view_button(self, view) == GTK_WIDGET(button)) {
			gtk_stack_set_visible_child_name(GTK_STACK(self->view_stack),
							 view_names[view]);
			remember_view(view);
		}
	}
}

/* The test hook runs from the main loop, with the window up and linked, as a user's
 * input would (or, without a driver, after TEST_SETTINGS_WAIT_MS). */
static gboolean enter_test_settings_cb(gpointer data)
{
	LcMainWindow *self = data;
	self->test_settings_id = 0;
	gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(self->settings_button), TRUE);
	lc_settings_page_enter_test_values(LC_SETTINGS_PAGE(self->settings_page), self->test_settings);
	return G_SOURCE_REMOVE;
}

/* Links the window to the driver.  Tried again every LINK_RETRY_US while it fails: the
 * driver may be installed after the panel started, or be briefly unable to map its
 * section (another process formatting a new generation). */
static void try_link(LcMainWindow *self)
{
	self->link_tried_at = g_get_monotonic_time();
	g_autoptr(GError) error = NULL;
	self->link = lc_driver_link_new(GTK_WIDGET(self), driver_event_cb, self, &error);
	if (!self->link) {
		/* Said once, not at every retry. */
		if (!self->link_error || strcmp(self->link_error, error->message) != 0) {
			g_autofree char *line = g_strdup_printf("No live events: %s", error->message);
			log_line(self, line);
			g_free(self->link_error);
			self->link_error = g_strdup(error->message);
		}
		return;
	}
	g_clear_pointer(&self->link_error, g_free);
	g_autofree char *line = g_strdup_printf("Connected to the driver (%s)",
						lc_driver_link_alias(self->link));
	log_line(self, line);
	lc_settings_page_set_link(LC_SETTINGS_PAGE(self->settings_page), self->link);
	if (self->test_settings && !self->test_settings_id)
		self->test_settings_id = g_idle_add(enter_test_settings_cb, self);
}

/* --test-settings without a driver: after a while, entered anyway, so that a test sees
 * the page's answer to that too. */
static gboolean test_settings_unlinked_cb(gpointer data)
{
	LcMainWindow *self = data;
	self->test_settings_id = 0;
	if (!self->link)
		enter_test_settings_cb(self);
	return G_SOURCE_REMOVE;
}

static void realize_cb(GtkWidget *widget, gpointer data)
{
	(void)data;
	LcMainWindow *self = LC_MAIN_WINDOW(widget);
	try_link(self);
	refresh_cb(self);
	if (self->test_settings && !self->link)
		self->test_settings_id = g_timeout_add(TEST_SETTINGS_WAIT_MS, test_settings_unlinked_cb,
						       self);
}

static void lc_main_window_dispose(GObject *object)
{
	LcMainWindow *self = LC_MAIN_WINDOW(object);
	if (self->refresh_id) {
		g_source_remove(self->refresh_id);
		self->refresh_id = 0;
	}
	if (self->test_settings_id) {
		g_source_remove(self->test_settings_id);
		self->test_settings_id = 0;
	}
	if (self->link) {
		lc_settings_page_set_link(LC_SETTINGS_PAGE(self->settings_page), NULL);
		g_clear_pointer(&self->link, lc_driver_link_free);
	}
	g_clear_pointer(&self->dump_path, g_free);
	g_clear_pointer(&self->apply_error, g_free);
	g_clear_pointer(&self->link_error, g_free);
	g_clear_pointer(&self->test_settings, g_free);
	g_clear_pointer(&self->test_routes, g_free);
	g_clear_pointer(&self->status, g_free);
	G_OBJECT_CLASS(lc_main_window_parent_class)->dispose(object);
}

static void lc_main_window_class_init(LcMainWindowClass *klass)
{
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
	G_OBJECT_CLASS(klass)->dispose = lc_main_window_dispose;
	/* The template instantiates the page by type name. */
	g_type_ensure(LC_TYPE_SETTINGS_PAGE);
	g_type_ensure(LC_TYPE_ROUTES_PAGE);
	gtk_widget_class_set_template_from_resource(widget_class, "/org/loopcable/panel/lc_main_window.ui");
	gtk_widget_class_bind_template_child(widget_class, LcMainWindow, status_label);
	gtk_widget_class_bind_template_child(widget_class, LcMainWindow, cables_button);
	gtk_widget_class_bind_template_child(widget_class, LcMainWindow, routes_button);
	gtk_widget_class_bind_template_child(widget_class, LcMainWindow, settings_button);
	gtk_widget_class_bind_template_child(widget_class, LcMainWindow, view_stack);
	gtk_widget_class_bind_template_child(widget_class, LcMainWindow, cable_list);
	gtk_widget_class_bind_template_child(widget_class, LcMainWindow, event_log);
	gtk_widget_class_bind_template_child(widget_class, LcMainWindow, settings_page);
	gtk_widget_class_bind_template_child(widget_class, LcMainWindow, routes_page);
	gtk_widget_class_bind_template_callback(widget_class, view_button_toggled_cb);
	gtk_widget_class_bind_template_callback(widget_class, settings_page_applied_cb);
}

static void lc_main_window_init(LcMainWindow *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
	self->status = g_new0(struct lc_status, 1);
	/* For screen readers: the list has no visible label of its own. */
	atk_object_set_name(gtk_widget_get_accessible(self->cable_list), "Cables");
	atk_object_set_name(gtk_widget_get_accessible(self->event_log), "Event log");
	gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(view_button(self, remembered_view())), TRUE);
	g_signal_connect_after(self, "realize", G_CALLBACK(realize_cb), NULL);
	self->refresh_id = g_timeout_add(REFRESH_MS, refresh_cb, self);
}

LcMainWindow *lc_main_window_new(GtkApplication *app, const char *dump_path,
				 const char *test_settings, const char *test_routes)
{
	LcMainWindow *self = g_object_new(LC_TYPE_MAIN_WINDOW, "application", app, NULL);
	self->dump_path = g_strdup(dump_path);
	self->test_settings = g_strdup(test_settings);
	self->test_routes = g_strdup(test_routes);
	return self;
}
