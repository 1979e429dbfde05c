/* SPDX-License-Identifier: MIT */
/* lc_main_window.c — the panel's window (lc_main_window.h). */
#include "lc_main_window.h"

#include <math.h>
#include <stdio.h>

#include "lc_driver_link.h"
#include "lc_event.h"
#include "lc_status.h"

/* Meters and counters are read from the section this often (display rate). */
#define REFRESH_MS 50
/* Meters show -60 dBFS .. 0 dBFS. */
#define METER_FLOOR_DB -60.0

struct cable_row {
	GtkWidget *row;
	GtkWidget *title;   /* "LoopCable 1" */
	GtkWidget *format;  /* "48000 Hz, 2 channels" */
	GtkWidget *clients; /* one line per client */
	GtkWidget *meters[LC_MAX_CHANNELS];
	GtkWidget *clip;
	GtkWidget *volume;
	GtkWidget *mute;
	uint32_t n_channels;
	uint64_t clipped_seen;
	gint64 clip_until; /* monotonic µs while the clip indicator stays lit */
	bool updating;     /* set while the refresh moves the controls */
};

struct _LcMainWindow {
	GtkApplicationWindow parent;
	GtkWidget *status_label;
	GtkWidget *cable_list;
	GtkWidget *event_log;
	struct lc_driver_link *link;
	struct cable_row rows[LC_MAX_CABLES];
	uint32_t n_rows;
	guint refresh_id;
	char *dump_path;
	uint32_t n_events;
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

static void volume_changed_cb(GtkRange *range, struct cable_row *row)
{
	if (row->updating)
		return;
	uint32_t cable = (uint32_t)GPOINTER_TO_UINT(g_object_get_data(G_OBJECT(range), "cable"));
	lc_status_set_volume(cable, 0, -1, (float)gtk_range_get_value(range),
			     gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(row->mute)));
}

static void mute_toggled_cb(GtkToggleButton *button, struct cable_row *row)
{
	if (row->updating)
		return;
	uint32_t cable = (uint32_t)GPOINTER_TO_UINT(g_object_get_data(G_OBJECT(button), "cable"));
	lc_status_set_volume(cable, 0, -1, (float)gtk_range_get_value(GTK_RANGE(row->volume)),
			     gtk_toggle_button_get_active(button));
}

static void build_row(LcMainWindow *self, uint32_t index, const struct lc_status_cable *cable)
{
	struct cable_row *row = &self->rows[index];
	*row = (struct cable_row){ .n_channels = cable->n_channels };
	GtkWidget *grid = gtk_grid_new();
	g_object_set(grid, "margin", 12, "column-spacing", 12, "row-spacing", 6, NULL);

	row->title = gtk_label_new(NULL);
	g_autofree char *markup = g_markup_printf_escaped("<b>%s</b>", cable->name);
	gtk_label_set_markup(GTK_LABEL(row->title), markup);
	gtk_label_set_xalign(GTK_LABEL(row->title), 0);
	row->format = gtk_label_new("");
	gtk_label_set_xalign(GTK_LABEL(row->format), 0);
	gtk_grid_attach(GTK_GRID(grid), row->title, 0, 0, 1, 1);
	gtk_grid_attach(GTK_GRID(grid), row->format, 1, 0, 2, 1);

	GtkWidget *meters = gtk_box_new(GTK_ORIENTATION_VERTICAL, 2);
	for (uint32_t ch = 0; ch < cable->n_channels; ch++) {
		row->meters[ch] = gtk_level_bar_new_for_interval(0, 1);
		gtk_widget_set_hexpand(row->meters[ch], TRUE);
		g_autofree char *name = g_strdup_printf("%s channel %u level", cable->name, ch + 1);
		atk_object_set_name(gtk_widget_get_accessible(row->meters[ch]), name);
		gtk_box_pack_start(GTK_BOX(meters), row->meters[ch], FALSE, FALSE, 0);
	}
	gtk_grid_attach(GTK_GRID(grid), meters, 0, 1, 2, 1);
	row->clip = gtk_label_new("");
	gtk_grid_attach(GTK_GRID(grid), row->clip, 2, 1, 1, 1);

	row->volume = gtk_scale_new_with_range(GTK_ORIENTATION_HORIZONTAL, 0, 1, 0.01);
	gtk_scale_set_draw_value(GTK_SCALE(row->volume), FALSE);
	gtk_range_set_value(GTK_RANGE(row->volume), 1);
	gtk_widget_set_size_request(row->volume, 160, -1);
	g_autofree char *volume_name = g_strdup_printf("%s volume", cable->name);
	atk_object_set_name(gtk_widget_get_accessible(row->volume), volume_name);
	row->mute = gtk_check_button_new_with_mnemonic("_Mute");
	g_object_set_data(G_OBJECT(row->volume), "cable", GUINT_TO_POINTER(index));
	g_object_set_data(G_OBJECT(row->mute), "cable", GUINT_TO_POINTER(index));
	g_signal_connect(row->volume, "value-changed", G_CALLBACK(volume_changed_cb), row);
	g_signal_connect(row->mute, "toggled", G_CALLBACK(mute_toggled_cb), row);
	GtkWidget *controls = gtk_box_new(GTK_ORIENTATION_HORIZONTAL, 6);
	gtk_box_pack_start(GTK_BOX(controls), gtk_label_new("Volume"), FALSE, FALSE, 0);
	gtk_box_pack_start(GTK_BOX(controls), row->volume, FALSE, FALSE, 0);
	gtk_box_pack_start(GTK_BOX(controls), row->mute, FALSE, FALSE, 0);
	gtk_grid_attach(GTK_GRID(grid), controls, 0, 2, 3, 1);

	row->clients = gtk_label_new("");
	gtk_label_set_xalign(GTK_LABEL(row->clients), 0);
	gtk_label_set_selectable(GTK_LABEL(row->clients), TRUE);
	gtk_grid_attach(GTK_GRID(grid), row->clients, 0, 3, 3, 1);

	row->row = gtk_list_box_row_new();
	gtk_container_add(GTK_CONTAINER(row->row), grid);
	gtk_list_box_insert(GTK_LIST_BOX(self->cable_list), row->row, -1);
	gtk_widget_show_all(row->row);
}

static void update_row(struct cable_row *row, const struct lc_status_cable *cable)
{
	g_autofree char *format = g_strdup_printf("%u Hz, %u channels", cable->rate_hz,
						  cable->n_channels);
	gtk_label_set_text(GTK_LABEL(row->format), format);
	uint64_t clipped = 0;
	GString *text = g_string_new(NULL);
	for (uint32_t i = 0; i < cable->n_clients; i++) {
		const struct lc_status_client *c = &cable->clients[i];
		char fmt[64];
		lc_status_format_name(&c->fmt, fmt, sizeof(fmt));
		/* Buffer size is not in the section: frames, formats and xruns are. */
		g_string_append_printf(text, "%s%s  process %u  %s  frames %" G_GUINT64_FORMAT
				       "  underflows %" G_GUINT64_FORMAT "  overflows %" G_GUINT64_FORMAT,
				       i ? "\n" : "", c->kind == LC_SLOT_WRITER ? "▶ player  " : "● recorder",
				       c->pid, fmt, c->counts.frames, c->counts.underflows,
				       c->counts.overflows);
		clipped += c->counts.clipped;
	}
	if (!cable->n_clients)
		g_string_append(text, "No clients");
	gtk_label_set_text(GTK_LABEL(row->clients), text->str);
	g_string_free(text, TRUE);

	for (uint32_t ch = 0; ch < row->n_channels && ch < cable->n_channels; ch++) {
		double db = cable->peak[ch] > 0 ? 20 * log10(cable->peak[ch]) : METER_FLOOR_DB;
		double value = (db - METER_FLOOR_DB) / -METER_FLOOR_DB;
		gtk_level_bar_set_value(GTK_LEVEL_BAR(row->meters[ch]), CLAMP(value, 0, 1));
	}
	/* Clip: lit for two seconds after the clipped count grows. */
	gint64 now = g_get_monotonic_time();
	if (clipped > row->clipped_seen)
		row->clip_until = now + 2 * G_USEC_PER_SEC;
	row->clipped_seen = clipped;
	gtk_label_set_markup(GTK_LABEL(row->clip), now < row->clip_until
			     ? "<span foreground='#c01c28' weight='bold'>CLIP</span>" : "");
	row->updating = true;
	if (!gtk_widget_has_focus(row->volume))
		gtk_range_set_value(GTK_RANGE(row->volume), cable->mute ? gtk_range_get_value(GTK_RANGE(row->volume))
								       : MIN(cable->volume, 1.0f));
	gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(row->mute), cable->mute);
	row->updating = false;
}

static void dump(LcMainWindow *self)
{
	FILE *f = fopen(self->dump_path, "w");
	if (!f)
		return;
	const struct lc_status *st = self->status;
	fprintf(f, "running=%d\ncables=%u\nevents=%u\nlinked=%d\n", st->running, st->n_cables,
		self->n_events, self->link != NULL);
	for (uint32_t c = 0; c < st->n_cables; c++) {
		const struct lc_status_cable *cable = &st->cables[c];
		fprintf(f, "cable %u name=\"%s\" rate=%u channels=%u clients=%u\n", c + 1, cable->name,
			cable->rate_hz, cable->n_channels, cable->n_clients);
		for (uint32_t i = 0; i < cable->n_clients; i++) {
			const struct lc_status_client *cl = &cable->clients[i];
			char fmt[64];
			lc_status_format_name(&cl->fmt, fmt, sizeof(fmt));
			fprintf(f, "client cable=%u kind=%s pid=%u format=\"%s\"\n", c + 1,
				cl->kind == LC_SLOT_WRITER ? "player" : "recorder", cl->pid, fmt);
		}
	}
	fclose(f);
}

static void destroy_child(GtkWidget *child, gpointer data)
{
	(void)data;
	gtk_widget_destroy(child);
}

static gboolean refresh_cb(gpointer data)
{
	LcMainWindow *self = data;
	if (lc_status_read(self->status) != 0) {
		gtk_label_set_text(GTK_LABEL(self->status_label), "The shared section is damaged");
		return G_SOURCE_CONTINUE;
	}
	const struct lc_status *st = self->status;
	if (st->n_cables != self->n_rows) {
		gtk_container_foreach(GTK_CONTAINER(self->cable_list), destroy_child, NULL);
		self->n_rows = 0;
		for (uint32_t c = 0; c < st->n_cables; c++)
			build_row(self, self->n_rows++, &st->cables[c]);
	}
	uint32_t n_clients = 0;
	for (uint32_t c = 0; c < self->n_rows; c++) {
		update_row(&self->rows[c], &st->cables[c]);
		n_clients += st->cables[c].n_clients;
	}
	g_autofree char *summary = g_strdup_printf("%u cables, %u clients", st->n_cables, n_clients);
	gtk_label_set_text(GTK_LABEL(self->status_label), summary);
	if (self->dump_path)
		dump(self);
	return G_SOURCE_CONTINUE;
}

static void driver_event_cb(uint32_t packed, gpointer data)
{
	LcMainWindow *self = data;
	static const char *const what[] = {
		"", "client opened", "client closed", "format changed", "underflow", "overflow",
		"configuration changed", "volume changed",
	};
	struct lc_event ev;
	if (!lc_event_unpack(packed, &ev))
		return;
	self->n_events++;
	/* Refresh now rather than at the next tick: within 100 ms of the event. */
	refresh_cb(self);
	const char *cable = ev.cable < self->status->n_cables ? self->status->cables[ev.cable].name : "";
	const char *kind = ev.kind == LC_EVENT_KIND_WRITER ? " (player)"
			   : ev.kind == LC_EVENT_KIND_READER ? " (recorder)" : "";
	g_autofree char *line = g_strdup_printf("%s%s%s%s", cable, *cable ? ": " : "", what[ev.id], kind);
	log_line(self, line);
}

static void realize_cb(GtkWidget *widget, gpointer data)
{
	(void)data;
	LcMainWindow *self = LC_MAIN_WINDOW(widget);
	g_autoptr(GError) error = NULL;
	self->link = lc_driver_link_new(widget, driver_event_cb, self, &error);
	if (!self->link) {
		g_autofree char *line = g_strdup_printf("No live events: %s", error->message);
		log_line(self, line);
	} else {
		g_autofree char *line = g_strdup_printf("Connected to the driver (%s)",
							lc_driver_link_alias(self->link));
		log_line(self, line);
	}
	refresh_cb(self);
}

static void lc_main_window_dispose(GObject *object)
{
	LcMainWindow *self = LC_MAIN_WINDOW(object);
	if (self->refresh_id) {
		g_source_remove(self->refresh_id);
		self->refresh_id = 0;
	}
	g_clear_pointer(&self->link, lc_driver_link_free);
	g_clear_pointer(&self->dump_path, g_free);
	g_clear_pointer(&self->status, g_free);
	G_OBJECT_CLASS(lc_main_window_parent_class)->dispose(object);
}

static void lc_main_window_class_init(LcMainWindowClass *klass)
{
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
	G_OBJECT_CLASS(klass)->dispose = lc_main_window_dispose;
	gtk_widget_class_set_template_from_resource(widget_class, "/org/loopcable/panel/lc_main_window.ui");
	gtk_widget_class_bind_template_child(widget_class, LcMainWindow, status_label);
	gtk_widget_class_bind_template_child(widget_class, LcMainWindow, cable_list);
	gtk_widget_class_bind_template_child(widget_class, LcMainWindow, event_log);
}

static void lc_main_window_init(LcMainWindow *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
	self->status = g_new0(struct lc_status, 1);
	/* For screen readers: the list and the log have no visible label of their own. */
	atk_object_set_name(gtk_widget_get_accessible(self->cable_list), "Cables");
	atk_object_set_name(gtk_widget_get_accessible(self->event_log), "Event log");
	g_signal_connect_after(self, "realize", G_CALLBACK(realize_cb), NULL);
	self->refresh_id = g_timeout_add(REFRESH_MS, refresh_cb, self);
}

LcMainWindow *lc_main_window_new(GtkApplication *app, const char *dump_path)
{
	LcMainWindow *self = g_object_new(LC_TYPE_MAIN_WINDOW, "application", app, NULL);
	self->dump_path = g_strdup(dump_path);
	return self;
}
