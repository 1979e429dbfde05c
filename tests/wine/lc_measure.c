/* SPDX-License-Identifier: MIT */
/*
 * lc_measure — compares what was played into a cable with what was recorded from it
 * (native; used by packaging/demo.sh).
 *
 *   lc_measure SENT.wav RECORDED.wav PLAY_START_US REC_START_US [TONE_HZ]
 *
 * PLAY_START_US / REC_START_US are the performance-counter times lc_play.exe printed
 * for its first write and lc_rec.exe for waveInStart (one origin for all processes);
 * "-" for both when the recording has no such time (parec of a sound card): no delay.
 * Prints the level of both, the tone's frequency (with TONE_HZ), and the delay from
 * the moment a sound was written to the moment it sits in the recording.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lc_wavfile.h"

static double rms_dbfs(const struct lc_wavfile *w, size_t from, size_t n)
{
	double sum = 0;
	size_t count = 0;
	for (size_t f = from; f < from + n && f < w->frames; f++)
		for (uint32_t c = 0; c < w->channels; c++, count++)
			sum += lc_wavfile_at(w, f, c) * lc_wavfile_at(w, f, c);
	return count && sum > 0 ? 10 * log10(sum / count) : -INFINITY;
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: lc_measure SENT.wav RECORDED.wav PLAY_START_US REC_START_US [TONE_HZ]\n");
		return 2;
	}
	struct lc_wavfile sent, got;
	if (!lc_wavfile_read(argv[1], &sent) || !lc_wavfile_read(argv[2], &got)) {
		fprintf(stderr, "lc_measure: cannot read the WAV files\n");
		return 2;
	}
	double play_start_us = atof(argv[3]), rec_start_us = atof(argv[4]);
	double tone_hz = argc > 5 ? atof(argv[5]) : 0;

	/* Onsets: the first sample above -40 dBFS. */
	size_t sent_on = lc_wavfile_first_above(&sent, 0, 0.01);
	size_t got_on = lc_wavfile_first_above(&got, 0, 0.01);
	if (sent_on == SIZE_MAX || got_on == SIZE_MAX) {
		printf("recording: silent — nothing came through the cable\n");
		return 1;
	}
	double sent_s = (double)(sent.frames - sent_on) / sent.rate_hz;
	size_t got_n = (size_t)(sent_s * got.rate_hz);
	printf("sent:      %s, %u Hz, %u ch, %.2f s, level %.1f dBFS RMS\n", argv[1], sent.rate_hz,
	       sent.channels, sent_s, rms_dbfs(&sent, sent_on, sent.frames - sent_on));
	printf("recorded:  %s, %u Hz, %u ch, level %.1f dBFS RMS over the same span\n", argv[2],
	       got.rate_hz, got.channels, rms_dbfs(&got, got_on, got_n));
	if (tone_hz > 0) {
		size_t from = got_on + got.rate_hz / 10, n = got.rate_hz / 2;
		printf("frequency: %.2f Hz (sent %.2f Hz), tone level %.2f dBFS\n",
		       lc_wavfile_frequency(&got, 0, from, n), tone_hz,
		       20 * log10(lc_wavfile_tone_amplitude(&got, 0, from, n, tone_hz)));
	}
	if (strcmp(argv[3], "-") == 0 || strcmp(argv[4], "-") == 0) {
		lc_wavfile_free(&sent);
		lc_wavfile_free(&got);
		return 0;
	}
	double written_us = play_start_us + 1e6 * sent_on / sent.rate_hz;
	double heard_us = rec_start_us + 1e6 * got_on / got.rate_hz;
	printf("delay:     %.2f ms from the player's write to the recording (the cable's own "
	       "latency; the clients' buffers excluded)\n", (heard_us - written_us) / 1000);
	lc_wavfile_free(&sent);
	lc_wavfile_free(&got);
	return 0;
}
