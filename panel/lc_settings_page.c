/* SPDX-License-Identifier: MIT */
/*
 * lc_settings_page.c — the Settings page (lc_settings_page.h).  What the settings are
 * and their ranges belong to the driver (driver/drv_config.{h,c}); this file only
 * edits them and hands them over.
 */
#include <windows.h>

#include "lc_settings_page.h"

#include <stdbool.h>
#include <string.h>

#include "drv_config.h"
#include "lc_driver_link.h"

/* What the rate field offers; any other rate in range may be typed. */
static const char *const common_rates[] = {
	"8000",  "11025", "16000",  "22050",  "32000",  "44100",  "48000",
	"88200", "96000", "176400", "192000", "352800", "384000",
};

/* Names are stored as UTF-8 in LC_NAME_BYTES with the NUL (drv_config.h). */
#define NAME_MAX_BYTES (LC_NAME_BYTES - 1)

struct settings_row {
	GtkWidget *label;    /* "Cable 3" */
	GtkWidget *name;     /* GtkEntry */
	GtkWidget *rate;     /* GtkComboBoxText with an entry */
	GtkWidget *channels; /* GtkSpinButton */
};

struct _LcSettingsPage {
	GtkBox parent;
	GtkWidget *info_bar;
	GtkWidget *info_label;
	GtkWidget *n_cables_spin;
	GtkWidget *ring_ms_spin;
	GtkWidget *logging_switch;
	GtkWidget *cable_grid;
	GtkWidget *name_heading;
	GtkWidget *rate_heading;
	GtkWidget *channels_heading;
	GtkWidget *apply_button;
	GtkWidget *revert_button;
	/* Rows are built when the count first reaches them and only hidden when it drops,
	 * so lowering and raising the count again keeps what was typed in them. */
	struct settings_row rows[LC_MAX_CABLES];
	uint32_t n_rows;
	struct drv_config loaded; /* the registry at the last load or successful Apply */
	struct lc_driver_link *link;
	bool loading; /* set while the page moves its own widgets */
};

G_DEFINE_TYPE(LcSettingsPage, lc_settings_page, GTK_TYPE_BOX)

static guint applied_signal;

static void setting_changed_cb(LcSettingsPage *self);

static GtkWidget *rate_entry(const struct settings_row *row)
{
	return gtk_bin_get_child(GTK_BIN(row->rate));
}

static uint32_t spin_value(GtkWidget *spin)
{
	return (uint32_t)gtk_spin_button_get_value_as_int(GTK_SPIN_BUTTON(spin));
}

/* For screen readers; takes `name`. */
static void set_accessible_name(GtkWidget *widget, char *name)
{
	atk_object_set_name(gtk_widget_get_accessible(widget), name);
	g_free(name);
}

static void build_row(LcSettingsPage *self, uint32_t index)
{
	struct settings_row *row = &self->rows[index];
	uint32_t number = index + 1;
	g_autofree char *title = g_strdup_printf("Cable %u", number);
	row->label = gtk_label_new(title);
	gtk_label_set_xalign(GTK_LABEL(row->label), 0);

	row->name = gtk_entry_new();
	gtk_entry_set_max_length(GTK_ENTRY(row->name), NAME_MAX_BYTES);
	gtk_entry_set_width_chars(GTK_ENTRY(row->name), 20);
	set_accessible_name(row->name, g_strdup_printf("Cable %u name", number));

	row->rate = gtk_combo_box_text_new_with_entry();
	for (size_t i = 0; i < G_N_ELEMENTS(common_rates); i++)
		gtk_combo_box_text_append_text(GTK_COMBO_BOX_TEXT(row->rate), common_rates[i]);
	gtk_entry_set_width_chars(GTK_ENTRY(rate_entry(row)), 8);
	gtk_entry_set_input_purpose(GTK_ENTRY(rate_entry(row)), GTK_INPUT_PURPOSE_DIGITS);
	set_accessible_name(row->rate, g_strdup_printf("Cable %u sample rate in hertz", number));
	set_accessible_name(rate_entry(row),
			    g_strdup_printf("Cable %u sample rate in hertz", number));

	row->channels = gtk_spin_button_new_with_range(1, LC_MAX_CHANNELS, 1);
	gtk_spin_button_set_numeric(GTK_SPIN_BUTTON(row->channels), TRUE);
	gtk_widget_set_halign(row->channels, GTK_ALIGN_START);
	set_accessible_name(row->channels, g_strdup_printf("Cable %u channels", number));

	/* For screen readers: "Cable 3" labels the row's first field. */
	gtk_label_set_mnemonic_widget(GTK_LABEL(row->label), row->name);

	/* Attached hidden: update_rows() shows the rows within the count. */
	GtkWidget *cells[] = { row->label, row->name, row->rate, row->channels };
	for (int col = 0; col < 4; col++)
		gtk_grid_attach(GTK_GRID(self->cable_grid), cells[col], col, (int)number, 1, 1);
	g_signal_connect_swapped(row->name, "changed", G_CALLBACK(setting_changed_cb), self);
	/* The entry, not the combo: typing and picking from the list both change its text. */
	g_signal_connect_swapped(rate_entry(row), "changed", G_CALLBACK(setting_changed_cb), self);
	g_signal_connect_swapped(row->channels, "value-changed", G_CALLBACK(setting_changed_cb),
				 self);
	/* The headings' mnemonics take the keyboard to cable 1, the first row. */
	if (index == 0) {
		gtk_label_set_mnemonic_widget(GTK_LABEL(self->name_heading), row->name);
		gtk_label_set_mnemonic_widget(GTK_LABEL(self->rate_heading), rate_entry(row));
		gtk_label_set_mnemonic_widget(GTK_LABEL(self->channels_heading), row->channels);
	}
}

static void show_row(const struct settings_row *row, const struct drv_cable_config *cable)
{
	char rate[16];
	g_snprintf(rate, sizeof(rate), "%u", cable->rate_hz);
	gtk_entry_set_text(GTK_ENTRY(row->name), cable->name);
	gtk_entry_set_text(GTK_ENTRY(rate_entry(row)), rate);
	gtk_spin_button_set_value(GTK_SPIN_BUTTON(row->channels), cable->n_channels);
}

/* Builds the rows up to n, filled from the loaded configuration. */
static void ensure_rows(LcSettingsPage *self, uint32_t n)
{
	bool was_loading = self->loading;
	self->loading = true;
	/* drv_config_read fills every cable, those past the count too (what was stored
	 * for them, or the defaults): raising the count brings them back. */
	for (; self->n_rows < n; self->n_rows++) {
		build_row(self, self->n_rows);
		show_row(&self->rows[self->n_rows], &self->loaded.cables[self->n_rows]);
	}
	self->loading = was_loading;
}

/* Shows exactly the rows of the cable count in the spin button. */
static void update_rows(LcSettingsPage *self)
{
	uint32_t n = spin_value(self->n_cables_spin);
	ensure_rows(self, n);
	for (uint32_t i = 0; i < self->n_rows; i++) {
		const struct settings_row *row = &self->rows[i];
		GtkWidget *cells[] = { row->label, row->name, row->rate, row->channels };
		for (int col = 0; col < 4; col++)
			gtk_widget_set_visible(cells[col], i < n);
	}
}

/* Marks a field the user must correct; the message becomes its tooltip, which is also
 * what screen readers announce as its description. */
static void mark_invalid(GtkWidget *widget, const char *message)
{
	GtkStyleContext *style = gtk_widget_get_style_context(widget);
	if (message)
		gtk_style_context_add_class(style, GTK_STYLE_CLASS_ERROR);
	else
		gtk_style_context_remove_class(style, GTK_STYLE_CLASS_ERROR);
	gtk_widget_set_tooltip_text(widget, message);
}

/* Reads the widgets into *config.  @return NULL, or (newly allocated) why the values
 * cannot be applied — the first problem; every bad field is marked. */
static char *collect(LcSettingsPage *self, struct drv_config *config)
{
	/* Cables past the count keep what was loaded: raising the count later shows them. */
	*config = self->loaded;
	config->n_cables = spin_value(self->n_cables_spin);
	config->ring_ms = spin_value(self->ring_ms_spin);
	config->logging = gtk_switch_get_active(GTK_SWITCH(self->logging_switch));
	char *problem = NULL;
	for (uint32_t i = 0; i < config->n_cables && i < self->n_rows; i++) {
		const struct settings_row *row = &self->rows[i];
		struct drv_cable_config *cable = &config->cables[i];
		const char *name = gtk_entry_get_text(GTK_ENTRY(row->name));
		g_autofree char *name_problem = NULL;
		if (!name[0])
			name_problem = g_strdup_printf("Cable %u needs a name", i + 1);
		else if (strlen(name) > NAME_MAX_BYTES)
			name_problem = g_strdup_printf("The name of cable %u is too long: names "
						       "take at most %u bytes, and letters other "
						       "than A to Z take two or more",
						       i + 1, NAME_MAX_BYTES);
		else
			g_strlcpy(cable->name, name, sizeof(cable->name));
		mark_invalid(row->name, name_problem);

		guint64 rate = 0;
		g_autofree char *rate_problem = NULL;
		if (!g_ascii_string_to_unsigned(gtk_entry_get_text(GTK_ENTRY(rate_entry(row))), 10,
						LC_RATE_MIN_HZ, LC_RATE_MAX_HZ, &rate, NULL))
			rate_problem = g_strdup_printf("The sample rate of cable %u must be a whole "
						       "number of hertz from %u to %u",
						       i + 1, LC_RATE_MIN_HZ, LC_RATE_MAX_HZ);
		cable->rate_hz = (uint32_t)rate;
		mark_invalid(rate_entry(row), rate_problem);

		cable->n_channels = spin_value(row->channels);
		if (!problem)
			problem = g_strdup(name_problem ? name_problem : rate_problem);
	}
	/* Each value may be fine and all of them together still too much to map. */
	if (!problem && !drv_config_section_bytes(config))
		problem = g_strdup_printf("These cables need more than the %u MB of shared memory "
					  "LoopCable can map: use fewer cables or channels, lower "
					  "rates or less buffering",
					  (unsigned)(LC_SHM_MAX_BYTES >> 20));
	return problem;
}

static bool same_config(const struct drv_config *a, const struct drv_config *b)
{
	if (a->n_cables != b->n_cables || a->ring_ms != b->ring_ms || a->logging != b->logging)
		return false;
	for (uint32_t i = 0; i < a->n_cables; i++) {
		const struct drv_cable_config *x = &a->cables[i], *y = &b->cables[i];
		if (strcmp(x->name, y->name) != 0 || x->rate_hz != y->rate_hz
		    || x->n_channels != y->n_channels)
			return false;
	}
	return true;
}

/* @return whether the widgets differ from the loaded settings; *valid: whether all of
 * their values can be applied. */
static bool has_changes(LcSettingsPage *self, bool *valid)
{
	struct drv_config config;
	g_autofree char *problem = collect(self, &config);
	*valid = problem == NULL;
	return problem || !same_config(&config, &self->loaded);
}

/* Apply only when something changed and all of it can be applied; Revert whenever
 * something changed. */
static void update_buttons(LcSettingsPage *self)
{
	bool valid;
	bool changed = has_changes(self, &valid);
	gtk_widget_set_sensitive(self->apply_button, changed && valid);
	gtk_widget_set_sensitive(self->revert_button, changed);
}

/* An edit also retires the last Apply's message: it spoke of other values. */
static void setting_changed_cb(LcSettingsPage *self)
{
	if (self->loading)
		return;
	update_buttons(self);
	gtk_info_bar_set_revealed(GTK_INFO_BAR(self->info_bar), FALSE);
}

static void n_cables_spin_value_changed_cb(LcSettingsPage *self)
{
	update_rows(self);
	setting_changed_cb(self);
}

/* Puts `config` into every widget. */
static void show_config(LcSettingsPage *self, const struct drv_config *config)
{
	self->loading = true;
	gtk_spin_button_set_value(GTK_SPIN_BUTTON(self->n_cables_spin), config->n_cables);
	gtk_spin_button_set_value(GTK_SPIN_BUTTON(self->ring_ms_spin), config->ring_ms);
	gtk_switch_set_active(GTK_SWITCH(self->logging_switch), config->logging != 0);
	for (uint32_t i = 0; i < self->n_rows; i++)
		show_row(&self->rows[i], &config->cables[i]);
	self->loading = false;
	update_rows(self);
	update_buttons(self);
}

static void load(LcSettingsPage *self)
{
	memset(&self->loaded, 0, sizeof(self->loaded));
	drv_config_read(&self->loaded);
	show_config(self, &self->loaded);
}

static void show_outcome(LcSettingsPage *self, GtkMessageType type, const char *text)
{
	gtk_info_bar_set_message_type(GTK_INFO_BAR(self->info_bar), type);
	gtk_label_set_text(GTK_LABEL(self->info_label), text);
	gtk_info_bar_set_revealed(GTK_INFO_BAR(self->info_bar), TRUE);
}

/* @return NULL, or (newly allocated) why the registry refused the settings. */
static char *save(const struct drv_config *config)
{
	long error = drv_config_write(config);
	if (error == ERROR_SUCCESS)
		return NULL;
	if (error == ERROR_ACCESS_DENIED)
		return g_strdup("Only an administrator can change these settings");
	g_autofree char *reason = g_win32_error_message((gint)error);
	return g_strdup_printf("The settings could not be saved: %s", reason);
}

/* Stores the settings, then has the driver publish them: written but unpublished
 * settings would only reach processes that load the driver later. */
static void apply_button_clicked_cb(LcSettingsPage *self)
{
	/* A number typed into a spin button counts once it is committed, as on focus-out. */
	gtk_spin_button_update(GTK_SPIN_BUTTON(self->n_cables_spin));
	gtk_spin_button_update(GTK_SPIN_BUTTON(self->ring_ms_spin));
	for (uint32_t i = 0; i < self->n_rows; i++)
		gtk_spin_button_update(GTK_SPIN_BUTTON(self->rows[i].channels));

	struct drv_config config;
	guint32 generation = 0;
	g_autofree char *problem = collect(self, &config);
	if (!problem && !self->link)
		problem = g_strdup("The driver is not installed (or could not be opened), so the "
				   "settings cannot be applied");
	if (!problem)
		problem = save(&config);
	if (!problem) {
		generation = lc_driver_link_apply(self->link);
		if (!generation)
			problem = g_strdup("The driver could not publish the settings");
	}
	if (problem) {
		show_outcome(self, GTK_MESSAGE_ERROR, problem);
	} else {
		self->loaded = config;
		g_autofree char *text = g_strdup_printf("Settings applied (generation %u)",
							generation);
		show_outcome(self, GTK_MESSAGE_INFO, text);
		update_buttons(self);
	}
	g_signal_emit(self, applied_signal, 0, generation, problem);
}

static void revert_button_clicked_cb(LcSettingsPage *self)
{
	show_config(self, &self->loaded);
	gtk_info_bar_set_revealed(GTK_INFO_BAR(self->info_bar), FALSE);
}

static void info_bar_response_cb(LcSettingsPage *self, int response)
{
	if (response == GTK_RESPONSE_CLOSE)
		gtk_info_bar_set_revealed(GTK_INFO_BAR(self->info_bar), FALSE);
}

void lc_settings_page_set_link(LcSettingsPage *self, struct lc_driver_link *link)
{
	g_return_if_fail(LC_IS_SETTINGS_PAGE(self));
	self->link = link;
}

void lc_settings_page_reload(LcSettingsPage *self)
{
	g_return_if_fail(LC_IS_SETTINGS_PAGE(self));
	bool valid;
	if (!has_changes(self, &valid))
		load(self);
}

/* The test hook's keys: global ones by name, per-cable ones as prefix + cable number. */
enum test_key { KEY_CABLES, KEY_RING_MS, KEY_LOGGING, KEY_NAME, KEY_RATE, KEY_CHANNELS };

static const struct {
	const char *name;
	bool per_cable;
	bool numeric; /* the value must be a number (the rate field takes any text) */
	guint64 max;  /* for numbers; the widgets clamp to their own ranges */
} test_keys[] = {
	[KEY_CABLES] = { "cables", false, true, G_MAXUINT32 },
	[KEY_RING_MS] = { "ring_ms", false, true, G_MAXUINT32 },
	[KEY_LOGGING] = { "logging", false, true, 1 },
	[KEY_NAME] = { "name", true, false, 0 },
	[KEY_RATE] = { "rate", true, false, 0 },
	[KEY_CHANNELS] = { "channels", true, true, G_MAXUINT32 },
};

/* A cable past the count still gets its value, in its hidden row (as if the user had
 * lowered the count after typing it). */
static void enter_test_value(LcSettingsPage *self, enum test_key key, uint32_t cable,
			     const char *text, guint64 number)
{
	if (test_keys[key].per_cable)
		ensure_rows(self, cable + 1);
	const struct settings_row *row = &self->rows[cable];
	switch (key) {
	case KEY_CABLES:
		gtk_spin_button_set_value(GTK_SPIN_BUTTON(self->n_cables_spin), (double)number);
		break;
	case KEY_RING_MS:
		gtk_spin_button_set_value(GTK_SPIN_BUTTON(self->ring_ms_spin), (double)number);
		break;
	case KEY_LOGGING:
		gtk_switch_set_active(GTK_SWITCH(self->logging_switch), number != 0);
		break;
	case KEY_NAME:
		gtk_entry_set_text(GTK_ENTRY(row->name), text);
		break;
	case KEY_RATE:
		gtk_entry_set_text(GTK_ENTRY(rate_entry(row)), text);
		break;
	case KEY_CHANNELS:
		gtk_spin_button_set_value(GTK_SPIN_BUTTON(row->channels), (double)number);
		break;
	}
}

/* @return the index in test_keys of "key" (with *cable, 1-based, for per-cable keys),
 * or -1. */
static int find_test_key(const char *key, guint64 *cable)
{
	for (size_t i = 0; i < G_N_ELEMENTS(test_keys); i++) {
		size_t len = strlen(test_keys[i].name);
		if (!test_keys[i].per_cable ? strcmp(key, test_keys[i].name) == 0
		    : strncmp(key, test_keys[i].name, len) == 0
		      && g_ascii_string_to_unsigned(key + len, 10, 1, LC_MAX_CABLES, cable, NULL))
			return (int)i;
	}
	return -1;
}

/* Walks spec; with self, enters each value.  @return FALSE at the first bad pair. */
static gboolean walk_test_values(LcSettingsPage *self, const char *spec, GError **error)
{
	g_auto(GStrv) pairs = g_strsplit(spec, ",", -1);
	for (char **pair = pairs; *pair; pair++) {
		const char *equals = strchr(*pair, '=');
		g_autofree char *key_text = g_strndup(*pair, equals ? (gsize)(equals - *pair) : 0);
		const char *value = equals ? equals + 1 : "";
		guint64 cable = 1, number = 0;
		int key = equals ? find_test_key(key_text, &cable) : -1;
		if (key < 0) {
			g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
				    "unknown setting \"%s\"", *pair);
			return FALSE;
		}
		guint64 max = test_keys[key].max;
		if (test_keys[key].numeric
		    && !g_ascii_string_to_unsigned(value, 10, 0, max, &number, NULL)) {
			g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
				    "\"%s\" needs a number up to %" G_GUINT64_FORMAT, *pair, max);
			return FALSE;
		}
		if (self)
			enter_test_value(self, (enum test_key)key, (uint32_t)cable - 1, value,
					 number);
	}
	return TRUE;
}

gboolean lc_settings_page_check_test_values(const char *spec, GError **error)
{
	return walk_test_values(NULL, spec, error);
}

void lc_settings_page_enter_test_values(LcSettingsPage *self, const char *spec)
{
	g_return_if_fail(LC_IS_SETTINGS_PAGE(self));
	if (walk_test_values(self, spec, NULL))
		gtk_button_clicked(GTK_BUTTON(self->apply_button));
}

static void lc_settings_page_class_init(LcSettingsPageClass *klass)
{
	GtkWidgetClass *widget_class = GTK_WIDGET_CLASS(klass);
	applied_signal = g_signal_new("applied", G_TYPE_FROM_CLASS(klass), G_SIGNAL_RUN_LAST, 0,
				      NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
	gtk_widget_class_set_template_from_resource(widget_class,
						    "/org/loopcable/panel/lc_settings_page.ui");
	gtk_widget_class_bind_template_child(widget_class, LcSettingsPage, info_bar);
	gtk_widget_class_bind_template_child(widget_class, LcSettingsPage, info_label);
	gtk_widget_class_bind_template_child(widget_class, LcSettingsPage, n_cables_spin);
	gtk_widget_class_bind_template_child(widget_class, LcSettingsPage, ring_ms_spin);
	gtk_widget_class_bind_template_child(widget_class, LcSettingsPage, logging_switch);
	gtk_widget_class_bind_template_child(widget_class, LcSettingsPage, cable_grid);
	gtk_widget_class_bind_template_child(widget_class, LcSettingsPage, name_heading);
	gtk_widget_class_bind_template_child(widget_class, LcSettingsPage, rate_heading);
	gtk_widget_class_bind_template_child(widget_class, LcSettingsPage, channels_heading);
	gtk_widget_class_bind_template_child(widget_class, LcSettingsPage, apply_button);
	gtk_widget_class_bind_template_child(widget_class, LcSettingsPage, revert_button);
	gtk_widget_class_bind_template_callback(widget_class, setting_changed_cb);
	gtk_widget_class_bind_template_callback(widget_class, n_cables_spin_value_changed_cb);
	gtk_widget_class_bind_template_callback(widget_class, apply_button_clicked_cb);
	gtk_widget_class_bind_template_callback(widget_class, revert_button_clicked_cb);
	gtk_widget_class_bind_template_callback(widget_class, info_bar_response_cb);
}

static void lc_settings_page_init(LcSettingsPage *self)
{
	/* Nothing may react to the ranges being set before the registry is loaded. */
	self->loading = true;
	gtk_widget_init_template(GTK_WIDGET(self));
	/* Read first: setting the count's range builds cable 1's row from it. */
	drv_config_read(&self->loaded);
	gtk_spin_button_set_range(GTK_SPIN_BUTTON(self->n_cables_spin), 1, LC_MAX_CABLES);
	gtk_spin_button_set_increments(GTK_SPIN_BUTTON(self->n_cables_spin), 1, 4);
	gtk_spin_button_set_range(GTK_SPIN_BUTTON(self->ring_ms_spin), DRV_RING_MS_MIN,
				  DRV_RING_MS_MAX);
	gtk_spin_button_set_increments(GTK_SPIN_BUTTON(self->ring_ms_spin), 10, 100);
	atk_object_set_name(gtk_widget_get_accessible(self->ring_ms_spin),
			    "Buffering: ring length in milliseconds");
	show_config(self, &self->loaded);
}
