/* SPDX-License-Identifier: MIT */
/*
 * lc_routes_page.c — the Routes page (lc_routes_page.h).  What a route is and how it is
 * checked belong to shared/lc_route.h, where routes are stored to
 * routes/lc_routes_reg.h, the devices to routes/lc_devices.h, reading the router's
 * section to routes/lc_router_view.h; this file shows them and hands the user's changes
 * to the registry.
 *
 * Over the usual 400 lines (docs/style.md, "Size and shape"): the rows, the form and
 * the router's reports all work on one table of routes (struct route_line) that no
 * other file needs.
 */
#include <windows.h>

#include "lc_routes_page.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "drv_config.h"
#include "drv_regkeys.h"
#include "lc_devices.h"
#include "lc_result.h"
#include "lc_router_launch.h"
#include "lc_router_view.h"
#include "lc_routes_reg.h"
#include "lc_rtp_url.h"

/* Devices the form offers: more than a machine has. */
#define MAX_DEVICES 128

/* One route's row: built when the set of route ids changes, relabelled in place
 * otherwise (a switch flipped by the user is not destroyed under its own signal). */
struct route_line {
	struct lc_route route;
	GtkWidget *row;
	GtkWidget *title;
	GtkWidget *details;
	GtkWidget *enabled;
	GtkWidget *remove;
	GtkWidget *state;
	GtkWidget *numbers;
	bool reported; /* the router published this route at the last refresh */
	struct lc_route_status st;
};

struct _LcRoutesPage {
	GtkBox parent;
	GtkWidget *info_bar;
	GtkWidget *info_label;
	GtkWidget *router_label;
	GtkWidget *start_button;
	GtkWidget *route_list;
	GtkWidget *cable_combo;
	GtkWidget *dir_combo;
	GtkWidget *device_combo;
	GtkWidget *latency_spin;
	/* On the heap: GType instance sizes must fit 16 bits. */
	struct route_line *lines; /* LC_ROUTE_MAX, sorted by id as lc_routes_load gives them */
	uint32_t n_lines;
	struct drv_config *config; /* the cables a route can name */
	struct lc_device *devices; /* MAX_DEVICES, as of the last scan */
	uint32_t n_devices;
	bool devices_scanned;
	struct lc_router_view *router; /* the router's state at the last refresh */
	int router_result;             /* and what reading it returned */
	HKEY watch;         /* the Routes key, notifying watch_event of any change */
	HANDLE watch_event;
	bool reload;        /* read the registry at the next refresh */
	bool updating;      /* set while the page moves its own switches */
};

G_DEFINE_TYPE(LcRoutesPage, lc_routes_page, GTK_TYPE_BOX)

/* Labels are set at display rate: leaving equal text alone spares a relayout. */
static void set_text(GtkWidget *label, const char *text)
{
	if (strcmp(gtk_label_get_text(GTK_LABEL(label)), text) != 0)
		gtk_label_set_text(GTK_LABEL(label), text);
}

static void show_outcome(LcRoutesPage *self, GtkMessageType type, const char *text)
{
	gtk_info_bar_set_message_type(GTK_INFO_BAR(self->info_bar), type);
	gtk_label_set_text(GTK_LABEL(self->info_label), text);
	gtk_info_bar_set_revealed(GTK_INFO_BAR(self->info_bar), TRUE);
}

static void info_bar_response_cb(LcRoutesPage *self, int response)
{
	if (response == GTK_RESPONSE_CLOSE)
		gtk_info_bar_set_revealed(GTK_INFO_BAR(self->info_bar), FALSE);
}

/* ---- words */

/* "LoopCable 1", or "cable 5" for one beyond the configured count (the route is kept,
 * lc_route.h). */
static char *cable_words(LcRoutesPage *self, uint32_t cable)
{
	if (cable >= 1 && cable <= self->config->n_cables)
		return g_strdup(self->config->cables[cable - 1].name);
	return g_strdup_printf("cable %u", cable);
}

/* "listen: LoopCable 1 → Speakers", "feed: default input → LoopCable 2" */
static char *route_words(LcRoutesPage *self, const struct lc_route *r)
{
	bool listen = r->dir == LC_ROUTE_TO_DEVICE;
	const char *device = r->device[0] ? r->device : listen ? "default output" : "default input";
	g_autofree char *cable = cable_words(self, r->cable);
	return listen ? g_strdup_printf("listen: %s → %s", cable, device)
		      : g_strdup_printf("feed: %s → %s", device, cable);
}

static void label_line(LcRoutesPage *self, struct route_line *line)
{
	const struct lc_route *r = &line->route;
	g_autofree char *words = route_words(self, r);
	g_autofree char *title = g_strdup_printf("Route %u   %s", r->id, words);
	set_text(line->title, title);
	char device[LC_ROUTE_HOST_API_BYTES + LC_ROUTE_DEVICE_BYTES + 2];
	lc_route_format_device(r->host_api, r->device, device, sizeof(device));
	g_autofree char *cable = cable_words(self, r->cable);
	g_autofree char *details = r->cable <= self->config->n_cables
		? g_strdup_printf("Cable %u (%s) · device %s · latency target %u ms", r->cable,
				  cable, device, r->latency_ms)
		: g_strdup_printf("Cable %u (not configured now) · device %s · latency target %u ms",
				  r->cable, device, r->latency_ms);
	set_text(line->details, details);
	self->updating = true;
	gtk_switch_set_active(GTK_SWITCH(line->enabled), r->enabled != 0);
	self->updating = false;
}

/* A network route's numbers (lc_router_status.h): a sender has only its packets to
 * count (and those the socket refused); a receiver its stream's health and, as a device
 * route, the fill and ratio of its drift loop.  Concealed time is in the stream's rate,
 * the router's "device" rate; frames until that is known. */
static char *network_numbers(uint32_t dir, const struct lc_route_status *st)
{
	if (dir == LC_ROUTE_TO_DEVICE)
		return st->packets_lost
			? g_strdup_printf("sent %" G_GUINT64_FORMAT " packets · %" G_GUINT64_FORMAT
					  " refused by the network", st->packets, st->packets_lost)
			: g_strdup_printf("sent %" G_GUINT64_FORMAT " packets", st->packets);
	g_autofree char *concealed = st->device_rate_hz
		? g_strdup_printf("%.1f ms", st->frames_concealed * 1000.0 / st->device_rate_hz)
		: g_strdup_printf("%" G_GUINT64_FORMAT " frames", st->frames_concealed);
	return g_strdup_printf("%" G_GUINT64_FORMAT " packets · lost %" G_GUINT64_FORMAT
			       " · late %" G_GUINT64_FORMAT " · concealed %s · jitter %.1f ms"
			       " · fill %.1f ms of %.1f ms · ratio %+.1f ppm",
			       st->packets, st->packets_lost, st->packets_late, concealed,
			       st->jitter_us / 1000.0, st->fill_us / 1000.0, st->target_us / 1000.0,
			       st->ratio_ppb / 1000.0);
}

/* The live part of a row, from the router's last report. */
static void show_live(struct route_line *line)
{
	GtkStyleContext *style = gtk_widget_get_style_context(line->state);
	bool error = line->reported && line->st.state == LC_ROUTE_STATE_ERROR;
	if (error)
		gtk_style_context_add_class(style, GTK_STYLE_CLASS_ERROR);
	else
		gtk_style_context_remove_class(style, GTK_STYLE_CLASS_ERROR);
	if (!line->reported) {
		set_text(line->state, "not running");
		set_text(line->numbers, "");
		return;
	}
	const struct lc_route_status *st = &line->st;
	const char *name = lc_route_state_name(st->state);
	/* The text adds to the state's name unless it only repeats it ("disabled"). */
	g_autofree char *state = st->text[0] && strcmp(st->text, name) != 0
		? g_strdup_printf("%s: %s", name, st->text)
		: g_strdup(name);
	set_text(line->state, state);
	if (strcmp(line->route.host_api, LC_RTP_URL_HOST_API) == 0) {
		g_autofree char *numbers = network_numbers(line->route.dir, st);
		set_text(line->numbers, numbers);
		return;
	}
	g_autofree char *numbers = g_strdup_printf(
		"fill %.1f ms of %.1f ms · ratio %+.1f ppm · underruns %" G_GUINT64_FORMAT
		" · overruns %" G_GUINT64_FORMAT " · restarts %" G_GUINT64_FORMAT,
		st->fill_us / 1000.0, st->target_us / 1000.0, st->ratio_ppb / 1000.0,
		st->underruns, st->overruns, st->restarts);
	set_text(line->numbers, numbers);
}

/* ---- the rows */

static void enabled_notify_cb(GtkSwitch *sw, GParamSpec *pspec, LcRoutesPage *self)
{
	(void)pspec;
	if (self->updating)
		return;
	uint32_t id = GPOINTER_TO_UINT(g_object_get_data(G_OBJECT(sw), "route-id"));
	struct lc_route r;
	const char *why = NULL;
	int result = lc_routes_get(id, &r);
	if (result == 0) {
		r.enabled = gtk_switch_get_active(sw);
		result = lc_routes_save(&r, self->config->n_cables, &why);
	} else {
		why = "it is not in the registry any more";
	}
	if (result != 0) {
		g_autofree char *text = g_strdup_printf("Route %u was not changed: %s", id,
							why ? why : lc_result_str(result));
		show_outcome(self, GTK_MESSAGE_ERROR, text);
		self->updating = true;
		gtk_switch_set_active(sw, !gtk_switch_get_active(sw));
		self->updating = false;
	}
	self->reload = true;
}

static void remove_clicked_cb(GtkButton *button, LcRoutesPage *self)
{
	uint32_t id = GPOINTER_TO_UINT(g_object_get_data(G_OBJECT(button), "route-id"));
	/* Removed by someone else meanwhile: the next refresh shows that anyway. */
	if (lc_routes_remove(id) == 0) {
		g_autofree char *text = g_strdup_printf("Route %u removed", id);
		show_outcome(self, GTK_MESSAGE_INFO, text);
	}
	self->reload = true;
}

static GtkWidget *line_label(bool dim)
{
	GtkWidget *label = gtk_label_new("");
	gtk_label_set_xalign(GTK_LABEL(label), 0);
	gtk_label_set_ellipsize(GTK_LABEL(label), PANGO_ELLIPSIZE_END);
	gtk_widget_set_hexpand(label, TRUE);
	if (dim)
		gtk_style_context_add_class(gtk_widget_get_style_context(label), "dim-label");
	return label;
}

/* For screen readers; takes `name`. */
static void set_accessible_name(GtkWidget *widget, char *name)
{
	atk_object_set_name(gtk_widget_get_accessible(widget), name);
	g_free(name);
}

static void build_line(LcRoutesPage *self, struct route_line *line, int position)
{
	uint32_t id = line->route.id;
	GtkWidget *grid = gtk_grid_new();
	g_object_set(grid, "margin", 12, "column-spacing", 12, "row-spacing", 4, NULL);
	line->title = line_label(false);
	PangoAttrList *bold = pango_attr_list_new();
	pango_attr_list_insert(bold, pango_attr_weight_new(PANGO_WEIGHT_BOLD));
	gtk_label_set_attributes(GTK_LABEL(line->title), bold);
	pango_attr_list_unref(bold);
	line->details = line_label(true);
	line->state = line_label(false);
	line->numbers = line_label(true);
	line->enabled = gtk_switch_new();
	gtk_widget_set_valign(line->enabled, GTK_ALIGN_CENTER);
	gtk_widget_set_tooltip_text(line->enabled, "Whether the router runs this route");
	set_accessible_name(line->enabled, g_strdup_printf("Route %u enabled", id));
	GtkWidget *remove = gtk_button_new_with_label("Remove");
	line->remove = remove;
	gtk_widget_set_valign(remove, GTK_ALIGN_CENTER);
	set_accessible_name(remove, g_strdup_printf("Remove route %u", id));
	g_object_set_data(G_OBJECT(line->enabled), "route-id", GUINT_TO_POINTER(id));
	g_object_set_data(G_OBJECT(remove), "route-id", GUINT_TO_POINTER(id));

	gtk_grid_attach(GTK_GRID(grid), line->title, 0, 0, 1, 1);
	gtk_grid_attach(GTK_GRID(grid), line->details, 0, 1, 1, 1);
	gtk_grid_attach(GTK_GRID(grid), line->state, 0, 2, 1, 1);
	gtk_grid_attach(GTK_GRID(grid), line->numbers, 0, 3, 1, 1);
	gtk_grid_attach(GTK_GRID(grid), line->enabled, 1, 0, 1, 2);
	gtk_grid_attach(GTK_GRID(grid), remove, 2, 0, 1, 2);
	line->row = gtk_list_box_row_new();
	gtk_list_box_row_set_activatable(GTK_LIST_BOX_ROW(line->row), FALSE);
	gtk_container_add(GTK_CONTAINER(line->row), grid);
	label_line(self, line);
	show_live(line);
	/* Connected after the first label_line: it sets the switch from the registry. */
	g_signal_connect(line->enabled, "notify::active", G_CALLBACK(enabled_notify_cb), self);
	g_signal_connect(remove, "clicked", G_CALLBACK(remove_clicked_cb), self);
	gtk_widget_show_all(line->row);
	gtk_list_box_insert(GTK_LIST_BOX(self->route_list), line->row, position);
}

static bool same_ids(const struct route_line *lines, uint32_t n_lines,
		     const struct lc_route *routes, uint32_t n)
{
	if (n != n_lines)
		return false;
	for (uint32_t i = 0; i < n; i++)
		if (lines[i].route.id != routes[i].id)
			return false;
	return true;
}

static void load_routes(LcRoutesPage *self)
{
	struct lc_route routes[LC_ROUTE_MAX];
	uint32_t n = lc_routes_load(routes, LC_ROUTE_MAX);
	if (same_ids(self->lines, self->n_lines, routes, n)) {
		for (uint32_t i = 0; i < n; i++) {
			self->lines[i].route = routes[i];
			label_line(self, &self->lines[i]);
		}
		return;
	}
	for (uint32_t i = 0; i < self->n_lines; i++)
		gtk_widget_destroy(self->lines[i].row);
	memset(self->lines, 0, LC_ROUTE_MAX * sizeof(self->lines[0]));
	for (uint32_t i = 0; i < n; i++) {
		self->lines[i].route = routes[i];
		build_line(self, &self->lines[i], (int)i);
	}
	self->n_lines = n;
}

/* Asks for an event at the next change of the Routes key (or below it).  A key
 * deleted meanwhile cannot be watched: it is opened (created) again next time. */
static void arm_watch(LcRoutesPage *self)
{
	if (!self->watch_event)
		self->watch_event = CreateEventW(NULL, FALSE, FALSE, NULL);
	if (!self->watch)
		self->watch = lc_routes_open_watch();
	if (!self->watch || !self->watch_event)
		return;
	if (RegNotifyChangeKeyValue(self->watch, TRUE,
				    REG_NOTIFY_CHANGE_NAME | REG_NOTIFY_CHANGE_LAST_SET,
				    self->watch_event, TRUE) != ERROR_SUCCESS) {
		RegCloseKey(self->watch);
		self->watch = NULL;
	}
}

/* Whether the registry must be read again: after our own change, at a notification,
 * and at every refresh while the key cannot be watched. */
static bool routes_changed(LcRoutesPage *self)
{
	bool watched = self->watch && self->watch_event;
	bool changed = self->reload || !watched;
	self->reload = false;
	if (watched && WaitForSingleObject(self->watch_event, 0) == WAIT_OBJECT_0)
		changed = true;
	/* Armed again before reading: a change during the read raises the event anew. */
	if (changed)
		arm_watch(self);
	return changed;
}

/* ---- the router */

/* The router's reports, matched to the rows by route id. */
static void read_router(LcRoutesPage *self)
{
	self->router_result = lc_router_view_read(self->router);
	for (uint32_t i = 0; i < self->n_lines; i++) {
		struct route_line *line = &self->lines[i];
		const struct lc_route_status *st =
			lc_router_view_find(self->router, line->route.id);
		line->reported = st != NULL;
		if (st)
			line->st = *st;
	}
}

/* @return NULL, or (newly allocated) why lc_router.exe could not be started. */
static char *start_router(void)
{
	wchar_t path[MAX_PATH];
	DWORD error = lc_router_launch(path, MAX_PATH);
	if (error == 0)
		return NULL;
	g_autofree char *where = g_utf16_to_utf8((const gunichar2 *)path, -1, NULL, NULL, NULL);
	if (error == ERROR_FILENAME_EXCED_RANGE)
		return g_strdup("The panel's own folder could not be found");
	if (error == ERROR_FILE_NOT_FOUND || error == ERROR_PATH_NOT_FOUND)
		return g_strdup_printf("The router is not installed beside the panel (%s)",
				       where && where[0] ? where : "lc_router.exe");
	g_autofree char *reason = g_win32_error_message((gint)error);
	return g_strdup_printf("The router could not be started: %s", reason);
}

static void start_button_clicked_cb(LcRoutesPage *self)
{
	g_autofree char *problem = start_router();
	if (problem)
		show_outcome(self, GTK_MESSAGE_ERROR, problem);
	else
		show_outcome(self, GTK_MESSAGE_INFO, "The router was started");
}

/* ---- the form */

static uint32_t active_number(GtkWidget *combo)
{
	const char *id = gtk_combo_box_get_active_id(GTK_COMBO_BOX(combo));
	return id ? (uint32_t)strtoul(id, NULL, 10) : 0;
}

static void fill_cables(LcRoutesPage *self)
{
	GtkComboBoxText *combo = GTK_COMBO_BOX_TEXT(self->cable_combo);
	g_autofree char *was = g_strdup(gtk_combo_box_get_active_id(GTK_COMBO_BOX(combo)));
	gtk_combo_box_text_remove_all(combo);
	for (uint32_t c = 1; c <= self->config->n_cables; c++) {
		char id[16];
		g_snprintf(id, sizeof(id), "%u", c);
		g_autofree char *text = g_strdup_printf("%u: %s", c,
							self->config->cables[c - 1].name);
		gtk_combo_box_text_append(combo, id, text);
	}
	if (!was || !gtk_combo_box_set_active_id(GTK_COMBO_BOX(combo), was))
		gtk_combo_box_set_active(GTK_COMBO_BOX(combo), 0);
}

/* "Default" first, then the scanned devices of the chosen direction; an entry's id is
 * its index in self->devices ("" for the default). */
static void fill_devices(LcRoutesPage *self)
{
	GtkComboBoxText *combo = GTK_COMBO_BOX_TEXT(self->device_combo);
	bool listen = active_number(self->dir_combo) == LC_ROUTE_TO_DEVICE;
	gtk_combo_box_text_remove_all(combo);
	gtk_combo_box_text_append(combo, "", "Default");
	for (uint32_t i = 0; i < self->n_devices; i++) {
		const struct lc_device *d = &self->devices[i];
		if (!(listen ? d->max_outputs : d->max_inputs))
			continue;
		char id[16], text[LC_ROUTE_HOST_API_BYTES + LC_ROUTE_DEVICE_BYTES + 2];
		g_snprintf(id, sizeof(id), "%u", i);
		lc_route_format_device(d->host_api, d->name, text, sizeof(text));
		gtk_combo_box_text_append(combo, id, text);
	}
	gtk_combo_box_set_active(GTK_COMBO_BOX(combo), 0);
}

/* PortAudio lists the devices as they are when it starts: a scan starts and ends it. */
static void scan_devices(LcRoutesPage *self)
{
	self->devices_scanned = true;
	self->n_devices = 0;
	if (lc_devices_open() == 0) {
		self->n_devices = lc_devices_list(self->devices, MAX_DEVICES);
		lc_devices_close();
	} else {
		show_outcome(self, GTK_MESSAGE_WARNING,
			     "The sound devices could not be listed: only the default devices "
			     "can be chosen");
	}
	fill_devices(self);
}

static void rescan_button_clicked_cb(LcRoutesPage *self)
{
	scan_devices(self);
}

static void dir_combo_changed_cb(LcRoutesPage *self)
{
	fill_devices(self);
}

/* Scanned when the page is first shown, not at start: PortAudio takes a while to
 * start, and a user who never opens the page should not wait for it. */
static void map_cb(GtkWidget *widget, gpointer data)
{
	(void)data;
	LcRoutesPage *self = LC_ROUTES_PAGE(widget);
	if (!self->devices_scanned)
		scan_devices(self);
}

static void add_button_clicked_cb(LcRoutesPage *self)
{
	gtk_spin_button_update(GTK_SPIN_BUTTON(self->latency_spin));
	struct lc_route r;
	lc_route_default(&r);
	r.cable = active_number(self->cable_combo);
	r.dir = active_number(self->dir_combo);
	GtkSpinButton *latency = GTK_SPIN_BUTTON(self->latency_spin);
	r.latency_ms = (uint32_t)gtk_spin_button_get_value_as_int(latency);
	const char *device = gtk_combo_box_get_active_id(GTK_COMBO_BOX(self->device_combo));
	if (device && device[0]) {
		const struct lc_device *d = &self->devices[strtoul(device, NULL, 10) % MAX_DEVICES];
		g_strlcpy(r.host_api, d->host_api, sizeof(r.host_api));
		g_strlcpy(r.device, d->name, sizeof(r.device));
	}
	const char *why = NULL;
	int result = lc_routes_save(&r, self->config->n_cables, &why);
	if (result != 0) {
		g_autofree char *text = g_strdup_printf("The route was not added: %s",
							why ? why : lc_result_str(result));
		show_outcome(self, GTK_MESSAGE_ERROR, text);
		return;
	}
	g_autofree char *words = route_words(self, &r);
	g_autofree char *text = g_strdup_printf("Route %u added (%s)", r.id, words);
	show_outcome(self, GTK_MESSAGE_INFO, text);
	self->reload = true;
}

/* ---- the window's interface */

void lc_routes_page_refresh(LcRoutesPage *self)
{
	g_return_if_fail(LC_IS_ROUTES_PAGE(self));
	if (routes_changed(self))
		load_routes(self);
	read_router(self);
	bool running = self->router->running;
	g_autofree char *router =
		running ? g_strdup_printf("Router running (pid %u)", self->router->pid)
		: self->router_result == LC_E_VERSION
			? g_strdup("A router of another LoopCable version runs: its state "
				   "cannot be shown")
		: self->router_result != 0 ? g_strdup("The router's state is damaged")
					   : g_strdup("Router not running");
	set_text(self->router_label, router);
	gtk_widget_set_sensitive(self->start_button, !running);
	for (uint32_t i = 0; i < self->n_lines; i++)
		show_live(&self->lines[i]);
}

void lc_routes_page_reload_cables(LcRoutesPage *self)
{
	g_return_if_fail(LC_IS_ROUTES_PAGE(self));
	drv_config_read(self->config);
	fill_cables(self);
	for (uint32_t i = 0; i < self->n_lines; i++)
		label_line(self, &self->lines[i]);
}

static void write_quoted(FILE *out, const char *text)
{
	fputc('"', out);
	for (const char *c = text; *c; c++) {
		if (*c == '"' || *c == '\\')
			fputc('\\', out);
		fputc(*c, out);
	}
	fputc('"', out);
}

void lc_routes_page_dump(LcRoutesPage *self, FILE *out)
{
	g_return_if_fail(LC_IS_ROUTES_PAGE(self));
	fprintf(out, "router=%d pid=%u heartbeat=%" G_GUINT64_FORMAT "\nroutes=%u\n",
		self->router->running, self->router->pid, self->router->heartbeat, self->n_lines);
	for (uint32_t i = 0; i < self->n_lines; i++) {
		const struct route_line *line = &self->lines[i];
		const struct lc_route *r = &line->route;
		const struct lc_route_status *st = &line->st;
		char device[LC_ROUTE_HOST_API_BYTES + LC_ROUTE_DEVICE_BYTES + 2];
		lc_route_format_device(r->host_api, r->device, device, sizeof(device));
		fprintf(out, "route id=%u cable=%u dir=%s device=", r->id, r->cable,
			lc_route_dir_name(r->dir));
		write_quoted(out, device);
		fprintf(out, " latency_ms=%u enabled=%u reported=%d state=", r->latency_ms,
			r->enabled, line->reported);
		write_quoted(out, line->reported ? lc_route_state_name(st->state) : "not running");
		bool on = line->reported;
		fprintf(out,
			" fill_ms=%.1f target_ms=%.1f ratio_ppm=%.1f underruns=%" G_GUINT64_FORMAT
			" overruns=%" G_GUINT64_FORMAT " restarts=%" G_GUINT64_FORMAT,
			on ? st->fill_us / 1000.0 : 0.0, on ? st->target_us / 1000.0 : 0.0,
			on ? st->ratio_ppb / 1000.0 : 0.0, on ? st->underruns : 0,
			on ? st->overruns : 0, on ? st->restarts : 0);
		/* Only network routes have packets: a device route's line stays as it was. */
		if (strcmp(r->host_api, LC_RTP_URL_HOST_API) == 0)
			fprintf(out, " packets=%" G_GUINT64_FORMAT " lost=%" G_GUINT64_FORMAT
				" late=%" G_GUINT64_FORMAT, on ? st->packets : 0,
				on ? st->packets_lost : 0, on ? st->packets_late : 0);
		fputc('\n', out);
	}
	if (gtk_info_bar_get_revealed(GTK_INFO_BAR(self->info_bar))) {
		fputs("outcome=", out);
		write_quoted(out, gtk_label_get_text(GTK_LABEL(self->info_label)));
		fputc('\n', out);
	}
}

/* ---- the test hook: a user's input, entered in the page's own widgets */

static struct route_line *line_of(LcRoutesPage *self, const char *id_text)
{
	uint32_t id;
	if (!drv_parse_decimal(id_text, 1, UINT32_MAX, &id))
		return NULL;
	for (uint32_t i = 0; i < self->n_lines; i++)
		if (self->lines[i].route.id == id)
			return &self->lines[i];
	return NULL;
}

/* Chooses the entry of `combo` whose text is `text`. */
static bool choose_text(GtkWidget *combo, const char *text)
{
	GtkTreeModel *model = gtk_combo_box_get_model(GTK_COMBO_BOX(combo));
	GtkTreeIter iter;
	int column = gtk_combo_box_get_entry_text_column(GTK_COMBO_BOX(combo));
	int index = 0;
	for (gboolean ok = gtk_tree_model_get_iter_first(model, &iter); ok;
	     ok = gtk_tree_model_iter_next(model, &iter), index++) {
		g_autofree char *shown = NULL;
		gtk_tree_model_get(model, &iter, column, &shown, -1);
		if (shown && strcmp(shown, text) == 0) {
			gtk_combo_box_set_active(GTK_COMBO_BOX(combo), index);
			return true;
		}
	}
	return false;
}

static bool enter_add(LcRoutesPage *self, char **words, GError **error)
{
	/* add CABLE listen|feed LATENCY DEVICE… (the device's words as the list shows it) */
	if (!words[1] || !words[2] || !words[3] || !words[4]) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			    "add CABLE listen|feed LATENCY DEVICE");
		return false;
	}
	uint32_t latency;
	if (!gtk_combo_box_set_active_id(GTK_COMBO_BOX(self->cable_combo), words[1]) ||
	    !drv_parse_decimal(words[3], 0, UINT32_MAX, &latency)) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			    "no cable %s in the list, or latency %s is not a number", words[1],
			    words[3]);
		return false;
	}
	char dir[16];
	g_snprintf(dir, sizeof(dir), "%u",
		   strcmp(words[2], "feed") == 0 ? LC_ROUTE_FROM_DEVICE : LC_ROUTE_TO_DEVICE);
	gtk_combo_box_set_active_id(GTK_COMBO_BOX(self->dir_combo), dir);
	g_autofree char *device = g_strjoinv(" ", words + 4);
	if (!self->devices_scanned)
		scan_devices(self);
	if (!choose_text(self->device_combo, device)) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			    "the device list has no \"%s\"", device);
		return false;
	}
	/* Typed into the field, as a user does; the page reads it back at Add. */
	gtk_entry_set_text(GTK_ENTRY(self->latency_spin), words[3]);
	add_button_clicked_cb(self);
	return true;
}

bool lc_routes_page_enter_test_step(LcRoutesPage *self, const char *step, GError **error)
{
	g_return_val_if_fail(LC_IS_ROUTES_PAGE(self), false);
	g_auto(GStrv) words = g_strsplit(step, " ", -1);
	struct route_line *line = words[0] && words[1] ? line_of(self, words[1]) : NULL;
	if (!words[0]) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "an empty step");
		return false;
	}
	if (strcmp(words[0], "start-router") == 0) {
		gtk_button_clicked(GTK_BUTTON(self->start_button));
	} else if (strcmp(words[0], "add") == 0) {
		return enter_add(self, words, error);
	} else if ((strcmp(words[0], "enable") == 0 || strcmp(words[0], "disable") == 0) && line) {
		gtk_switch_set_active(GTK_SWITCH(line->enabled), words[0][0] == 'e');
	} else if (strcmp(words[0], "remove") == 0 && line) {
		gtk_button_clicked(GTK_BUTTON(line->remove));
	} else {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			    "not a step, or no such route on the page: \"%s\"", step);
		return false;
	}
	return true;
}

static void lc_routes_page_dispose(GObject *object)
{
	LcRoutesPage *self = LC_ROUTES_PAGE(object);
	if (self->watch) {
		RegCloseKey(self->watch);
		self->watch = NULL;
	}
	if (self->watch_event) {
		CloseHandle(self->watch_event);
		self->watch_event = NULL;
	}
	self->n_lines = 0;
	g_clear_pointer(&self->lines, g_free);
	g_clear_pointer(&self->config, g_free);
	g_clear_pointer(&self->devices, g_free);
	g_clear_pointer(&self->router, g_free);
	G_OBJECT_CLASS(lc_routes_page_parent_class)->dispose(object);
}

static void lc_routes_page_class_init(LcRoutesPageClass *klass)
{
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
	G_OBJECT_CLASS(klass)->dispose = lc_routes_page_dispose;
	gtk_widget_class_set_template_from_resource(widget_class,
						    "/org/loopcable/panel/lc_routes_page.ui");
	gtk_widget_class_bind_template_child(widget_class, LcRoutesPage, info_bar);
	gtk_widget_class_bind_template_child(widget_class, LcRoutesPage, info_label);
	gtk_widget_class_bind_template_child(widget_class, LcRoutesPage, router_label);
	gtk_widget_class_bind_template_child(widget_class, LcRoutesPage, start_button);
	gtk_widget_class_bind_template_child(widget_class, LcRoutesPage, route_list);
	gtk_widget_class_bind_template_child(widget_class, LcRoutesPage, cable_combo);
	gtk_widget_class_bind_template_child(widget_class, LcRoutesPage, dir_combo);
	gtk_widget_class_bind_template_child(widget_class, LcRoutesPage, device_combo);
	gtk_widget_class_bind_template_child(widget_class, LcRoutesPage, latency_spin);
	gtk_widget_class_bind_template_callback(widget_class, info_bar_response_cb);
	gtk_widget_class_bind_template_callback(widget_class, start_button_clicked_cb);
	gtk_widget_class_bind_template_callback(widget_class, rescan_button_clicked_cb);
	gtk_widget_class_bind_template_callback(widget_class, dir_combo_changed_cb);
	gtk_widget_class_bind_template_callback(widget_class, add_button_clicked_cb);
}

static void lc_routes_page_init(LcRoutesPage *self)
{
	self->lines = g_new0(struct route_line, LC_ROUTE_MAX);
	self->config = g_new0(struct drv_config, 1);
	self->devices = g_new0(struct lc_device, MAX_DEVICES);
	self->router = g_new0(struct lc_router_view, 1);
	drv_config_read(self->config);
	gtk_widget_init_template(GTK_WIDGET(self));
	gtk_spin_button_set_range(GTK_SPIN_BUTTON(self->latency_spin), LC_ROUTE_LATENCY_MIN_MS,
				  LC_ROUTE_LATENCY_MAX_MS);
	gtk_spin_button_set_increments(GTK_SPIN_BUTTON(self->latency_spin), 1, 10);
	gtk_spin_button_set_value(GTK_SPIN_BUTTON(self->latency_spin), LC_ROUTE_LATENCY_DEFAULT_MS);
	char id[16];
	g_snprintf(id, sizeof(id), "%u", LC_ROUTE_TO_DEVICE);
	gtk_combo_box_text_append(GTK_COMBO_BOX_TEXT(self->dir_combo), id,
				  "listen: cable → output device");
	g_snprintf(id, sizeof(id), "%u", LC_ROUTE_FROM_DEVICE);
	gtk_combo_box_text_append(GTK_COMBO_BOX_TEXT(self->dir_combo), id,
				  "feed: input device → cable");
	gtk_combo_box_set_active(GTK_COMBO_BOX(self->dir_combo), 0);
	fill_cables(self);
	fill_devices(self);
	atk_object_set_name(gtk_widget_get_accessible(self->route_list), "Routes");
	g_signal_connect(self, "map", G_CALLBACK(map_cb), NULL);
	self->reload = true;
}
