/* SPDX-License-Identifier: MIT */
/*
 * lc_xvfb.h — native test helper: a virtual X display for the suites that draw (the
 * panel, the installed panel).  Wine programs started afterwards by lc_wine use it
 * (lc_xvfb_start sets LC_WINE_DISPLAY, lc_wine.h).
 */
#ifndef LC_XVFB_H
#define LC_XVFB_H

/* Starts Xvfb on a free display, width x height x 24 bits.  Failures end the program
 * with a message.  @return the display (":N"), or NULL if Xvfb is not installed. */
const char *lc_xvfb_start(int width, int height);

/* Ends the Wine session first (its desktop is bound to the display, lc_wine.h), then
 * Xvfb.  Nothing if none was started. */
void lc_xvfb_stop(void);

#endif /* LC_XVFB_H */
