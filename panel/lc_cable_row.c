/* SPDX-License-Identifier: MIT */
/* lc_cable_row.c — one cable in the window's list (lc_cable_row.h). */
#include "lc_cable_row.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

/* Meters show -60 dBFS .. 0 dBFS. */
#define METER_FLOOR_DB -60.0
/* A cable has at most this many clients at once. */
#define MAX_CLIENTS (LC_WRITER_SLOTS + LC_READER_SLOTS)

/* The columns of a client line, in the order of the headings in lc_cable_row.ui. */
enum client_column {
	COL_DIRECTION,
	COL_PROCESS,
	COL_FORMAT,
	COL_BUFFER,
	COL_AHEAD,
	COL_UNDERFLOWS,
	COL_OVERFLOWS,
	N_CLIENT_COLUMNS
};

struct _LcCableRow {
	GtkListBoxRow parent;
	GtkWidget *title;
	GtkWidget *format;
	GtkWidget *latency;
	GtkWidget *meters;
	GtkWidget *clip;
	GtkWidget *volume;
	GtkWidget *mute;
	GtkWidget *no_clients;
	GtkWidget *clients;
	GtkWidget *meter[LC_MAX_CHANNELS];
	/* Client lines are built when first needed and hidden when unused, so a client
	 * coming and going does not rebuild widgets at display rate. */
	GtkWidget *cells[MAX_CLIENTS][N_CLIENT_COLUMNS];
	uint32_t n_client_lines;
	/* What the row was built for (lc_cable_row_shows). */
	uint32_t index;
	char name[LC_NAME_BYTES];
	uint32_t rate_hz;
	uint32_t n_channels;
	uint64_t clipped_seen;
	gint64 clip_until; /* monotonic µs while the clip indicator stays lit */
	bool updating;     /* set while the refresh moves the controls */
};

G_DEFINE_TYPE(LcCableRow, lc_cable_row, GTK_TYPE_LIST_BOX_ROW)

/* Labels are set at display rate: leaving equal text alone spares a relayout. */
static void set_text(GtkWidget *label, const char *text)
{
	if (strcmp(gtk_label_get_text(GTK_LABEL(label)), text) != 0)
		gtk_label_set_text(GTK_LABEL(label), text);
}

static void set_volume(LcCableRow *self)
{
	if (self->updating)
		return;
	float volume = (float)gtk_range_get_value(GTK_RANGE(self->volume));
	lc_status_set_cable_volume(self->index, volume,
				   gtk_toggle_button_get_active(GTK_TOGGLE_BUTTON(self->mute)));
}

static void volume_value_changed_cb(LcCableRow *self)
{
	set_volume(self);
}

static void mute_toggled_cb(LcCableRow *self)
{
	set_volume(self);
}

static void add_client_line(LcCableRow *self)
{
	uint32_t line = self->n_client_lines++;
	for (int col = 0; col < N_CLIENT_COLUMNS; col++) {
		GtkWidget *label = gtk_label_new("");
		/* Counts right-aligned under their headings, text left-aligned. */
		gtk_label_set_xalign(GTK_LABEL(label), col >= COL_UNDERFLOWS ? 1 : 0);
		gtk_grid_attach(GTK_GRID(self->clients), label, col, (int)line + 1, 1, 1);
		self->cells[line][col] = label;
	}
}

/* Fills one client line; `text` is scratch space. */
static void show_client(GtkWidget *const cells[N_CLIENT_COLUMNS],
			const struct lc_status_client *c, GString *text)
{
	bool player = c->kind == LC_SLOT_WRITER;
	set_text(cells[COL_DIRECTION], player ? "Player" : "Recorder");

	if (c->process[0])
		g_string_printf(text, "%s (%u)", c->process, c->pid);
	else
		g_string_printf(text, "process %u", c->pid);
	set_text(cells[COL_PROCESS], text->str);

	char fmt[64];
	lc_status_format_name(&c->fmt, fmt, sizeof(fmt));
	set_text(cells[COL_FORMAT], fmt);

	g_string_truncate(text, 0);
	if (c->buffer_bytes) {
		g_string_printf(text, "%u bytes", c->buffer_bytes);
		if (c->fmt.block_align && c->fmt.rate_hz)
			g_string_append_printf(text, " (%.1f ms)", c->buffer_bytes / c->fmt.block_align
					       * 1000.0 / c->fmt.rate_hz);
	}
	set_text(cells[COL_BUFFER], text->str);

	g_string_truncate(text, 0);
	if (player)
		g_string_printf(text, "%.1f ms", c->ahead_ms);
	set_text(cells[COL_AHEAD], text->str);

	g_string_printf(text, "%" G_GUINT64_FORMAT, c->counts.underflows);
	set_text(cells[COL_UNDERFLOWS], text->str);
	g_string_printf(text, "%" G_GUINT64_FORMAT, c->counts.overflows);
	set_text(cells[COL_OVERFLOWS], text->str);
}

/* Shows the clients; @return the sum of their clipped-sample counts. */
static uint64_t show_clients(LcCableRow *self, const struct lc_status_cable *cable)
{
	uint32_t n = MIN(cable->n_clients, MAX_CLIENTS);
	while (self->n_client_lines < n)
		add_client_line(self);
	uint64_t clipped = 0;
	GString *text = g_string_new(NULL);
	for (uint32_t i = 0; i < self->n_client_lines; i++) {
		for (int col = 0; col < N_CLIENT_COLUMNS; col++)
			gtk_widget_set_visible(self->cells[i][col], i < n);
		if (i < n) {
			show_client(self->cells[i], &cable->clients[i], text);
			clipped += cable->clients[i].counts.clipped;
		}
	}
	g_string_free(text, TRUE);
	gtk_widget_set_visible(self->clients, n > 0);
	gtk_widget_set_visible(self->no_clients, n == 0);
	return clipped;
}

/* "Buffered ahead": the most any player has written ahead of the cable's now, which is
 * as long as a recorder can be behind that player.  Not a device latency: there is no
 * device, and what a client buffers on its side is not known here. */
static void show_latency(LcCableRow *self, const struct lc_status_cable *cable)
{
	float ahead = -1;
	for (uint32_t i = 0; i < cable->n_clients && i < MAX_CLIENTS; i++)
		if (cable->clients[i].kind == LC_SLOT_WRITER && cable->clients[i].ahead_ms > ahead)
			ahead = cable->clients[i].ahead_ms;
	char text[64] = "";
	if (ahead >= 0)
		g_snprintf(text, sizeof(text), "buffered ahead: %.1f ms", ahead);
	set_text(self->latency, text);
}

static void show_levels(LcCableRow *self, const struct lc_status_cable *cable, uint64_t clipped)
{
	for (uint32_t ch = 0; ch < self->n_channels; ch++) {
		double db = cable->peak[ch] > 0 ? 20 * log10(cable->peak[ch]) : METER_FLOOR_DB;
		double value = (db - METER_FLOOR_DB) / -METER_FLOOR_DB;
		gtk_level_bar_set_value(GTK_LEVEL_BAR(self->meter[ch]), CLAMP(value, 0, 1));
	}
	/* Clip: lit for two seconds after the clipped count grows. */
	gint64 now = g_get_monotonic_time();
	if (clipped > self->clipped_seen)
		self->clip_until = now + 2 * G_USEC_PER_SEC;
	self->clipped_seen = clipped;
	bool lit = now < self->clip_until;
	if (lit != (gtk_label_get_text(GTK_LABEL(self->clip))[0] != '\0'))
		gtk_label_set_markup(GTK_LABEL(self->clip),
				     lit ? "<span foreground='#c01c28' weight='bold'>CLIP</span>" : "");
}

void lc_cable_row_update(LcCableRow *self, const struct lc_status_cable *cable)
{
	g_return_if_fail(LC_IS_CABLE_ROW(self));
	show_latency(self, cable);
	show_levels(self, cable, show_clients(self, cable));
	/* The driver reports a muted cable with volume 0: keep the slider where it was. */
	self->updating = true;
	if (!gtk_widget_has_focus(self->volume) && !cable->mute)
		gtk_range_set_value(GTK_RANGE(self->volume), MIN(cable->volume, 1.0f));
	gtk_toggle_button_set_active(GTK_TOGGLE_BUTTON(self->mute), cable->mute);
	self->updating = false;
}

gboolean lc_cable_row_shows(LcCableRow *self, const struct lc_status_cable *cable)
{
	g_return_val_if_fail(LC_IS_CABLE_ROW(self), FALSE);
	return strncmp(self->name, cable->name, LC_NAME_BYTES) == 0
	       && self->rate_hz == cable->rate_hz && self->n_channels == cable->n_channels;
}

/* For screen readers; takes `name`. */
static void set_accessible_name(GtkWidget *widget, char *name)
{
	atk_object_set_name(gtk_widget_get_accessible(widget), name);
	g_free(name);
}

GtkWidget *lc_cable_row_new(uint32_t index, const struct lc_status_cable *cable)
{
	LcCableRow *self = g_object_new(LC_TYPE_CABLE_ROW, NULL);
	self->index = index;
	memcpy(self->name, cable->name, LC_NAME_BYTES);
	self->name[LC_NAME_BYTES - 1] = '\0';
	self->rate_hz = cable->rate_hz;
	self->n_channels = MIN(cable->n_channels, LC_MAX_CHANNELS);

	gtk_label_set_text(GTK_LABEL(self->title), self->name);
	g_autofree char *format = g_strdup_printf("%u Hz, %u channel%s", cable->rate_hz,
						  cable->n_channels, cable->n_channels == 1 ? "" : "s");
	gtk_label_set_text(GTK_LABEL(self->format), format);
	for (uint32_t ch = 0; ch < self->n_channels; ch++) {
		self->meter[ch] = gtk_level_bar_new_for_interval(0, 1);
		gtk_widget_set_hexpand(self->meter[ch], TRUE);
		set_accessible_name(self->meter[ch],
				    g_strdup_printf("%s channel %u level", self->name, ch + 1));
		gtk_box_pack_start(GTK_BOX(self->meters), self->meter[ch], FALSE, FALSE, 0);
		gtk_widget_show(self->meter[ch]);
	}
	set_accessible_name(self->volume, g_strdup_printf("%s volume", self->name));
	set_accessible_name(self->mute, g_strdup_printf("Mute %s", self->name));
	return GTK_WIDGET(self);
}

static void lc_cable_row_class_init(LcCableRowClass *klass)
{
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
	gtk_widget_class_set_template_from_resource(widget_class,
						    "/org/loopcable/panel/lc_cable_row.ui");
	gtk_widget_class_bind_template_child(widget_class, LcCableRow, title);
	gtk_widget_class_bind_template_child(widget_class, LcCableRow, format);
	gtk_widget_class_bind_template_child(widget_class, LcCableRow, latency);
	gtk_widget_class_bind_template_child(widget_class, LcCableRow, meters);
	gtk_widget_class_bind_template_child(widget_class, LcCableRow, clip);
	gtk_widget_class_bind_template_child(widget_class, LcCableRow, volume);
	gtk_widget_class_bind_template_child(widget_class, LcCableRow, mute);
	gtk_widget_class_bind_template_child(widget_class, LcCableRow, no_clients);
	gtk_widget_class_bind_template_child(widget_class, LcCableRow, clients);
	gtk_widget_class_bind_template_callback(widget_class, volume_value_changed_cb);
	gtk_widget_class_bind_template_callback(widget_class, mute_toggled_cb);
}

static void lc_cable_row_init(LcCableRow *self)
{
	gtk_widget_init_template(GTK_WIDGET(self));
}
