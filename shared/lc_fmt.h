/* SPDX-License-Identifier: MIT */
/*
 * lc_fmt.h — client audio formats: struct lc_fmt and the WAVEFORMATEX validator.
 *
 * Owns: the sample types a client may use, the parse of a WAVEFORMATEX /
 * WAVEFORMATEXTENSIBLE byte image into a struct lc_fmt (with a named reason for every
 * rejection), and the inverse (an lc_fmt written as a WAVEFORMATEXTENSIBLE image).
 * Does not own: converting samples (lc_conv.h), speaker layouts and mixing matrices
 * (lc_chmap.h), rate conversion (lc_resample.h).
 *
 * The core never includes Windows headers: the wire layout, the tags and the sub-format
 * GUIDs are spelled out below from mmreg.h / ksmedia.h.  All fields are little-endian.
 *
 *   offset size  WAVEFORMATEX              WAVEFORMATEXTENSIBLE adds (cbSize >= 22)
 *      0    2    wFormatTag                18  2  wValidBitsPerSample (0 = container)
 *      2    2    nChannels                 20  4  dwChannelMask
 *      4    4    nSamplesPerSec            24 16  SubFormat GUID
 *      8    4    nAvgBytesPerSec (0 = unset) 40   (end)
 *     12    2    nBlockAlign
 *     14    2    wBitsPerSample (the container size)
 *     16    2    cbSize (absent in the 16-byte PCMWAVEFORMAT; ignored for PCM/FLOAT)
 *
 * Integer samples with fewer valid bits than their container are left-justified (the
 * valid bits are the most significant ones: ksmedia.h, WAVEFORMATEXTENSIBLE remarks).
 * So "24 valid bits in a 32-bit container" is a 32-bit word whose low byte is padding:
 * LC_FMT_S24_32 here is *not* PipeWire's S24_32 (which keeps the 24 bits in the low
 * three bytes).
 */
#ifndef LC_FMT_H
#define LC_FMT_H

#include <stddef.h>
#include <stdint.h>

/* wFormatTag values (mmreg.h). */
#define LC_WAVE_FORMAT_PCM 0x0001u
#define LC_WAVE_FORMAT_IEEE_FLOAT 0x0003u
#define LC_WAVE_FORMAT_EXTENSIBLE 0xFFFEu

/* Byte images of the two sub-format GUIDs we accept (ksmedia.h), as they sit in memory:
 * Data1..Data3 little-endian, Data4 as bytes.  {0000000X-0000-0010-8000-00AA00389B71}. */
#define LC_KSDATAFORMAT_SUBTYPE_PCM_BYTES \
	{ 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, \
	  0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71 }
#define LC_KSDATAFORMAT_SUBTYPE_IEEE_FLOAT_BYTES \
	{ 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, \
	  0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71 }

#define LC_WFX_BYTES 18u            /* sizeof(WAVEFORMATEX) */
#define LC_PCMWAVEFORMAT_BYTES 16u  /* sizeof(PCMWAVEFORMAT): no cbSize */
#define LC_WFX_EXTENSIBLE_BYTES 40u /* sizeof(WAVEFORMATEXTENSIBLE) */
#define LC_WFX_EXTENSIBLE_CB_SIZE 22u

/* Limits every client and cable format obeys (docs/architecture.md decision 5). */
#define LC_FMT_MIN_RATE_HZ 8000u
#define LC_FMT_MAX_RATE_HZ 384000u
#define LC_FMT_MAX_CHANNELS 32u

/* Speaker bits 0..17 are defined (SPEAKER_FRONT_LEFT .. SPEAKER_TOP_BACK_RIGHT); the
 * rest (SPEAKER_RESERVED, SPEAKER_ALL) are not positions and are rejected — except
 * SPEAKER_ALL alone ("any speaker layout"), which the parse reads as mask 0 (no layout
 * in particular), so it never reaches a struct lc_fmt. */
#define LC_FMT_MASK_DEFINED 0x0003FFFFu
#define LC_FMT_SPEAKER_ALL 0x80000000u

enum lc_fmt_sample {
	LC_FMT_U8,     /* unsigned 8-bit, 128 = silence */
	LC_FMT_S16,    /* signed 16-bit */
	LC_FMT_S24,    /* signed 24-bit packed in 3 bytes */
	LC_FMT_S24_32, /* signed, <= 24 valid bits left-justified in a 32-bit container */
	LC_FMT_S32,    /* signed 32-bit */
	LC_FMT_F32,    /* IEEE 754 single, full scale +-1.0 */
	LC_FMT_N_SAMPLES
};

struct lc_fmt {
	enum lc_fmt_sample sample;
	uint32_t rate_hz;
	uint32_t channels;     /* 1 .. LC_FMT_MAX_CHANNELS */
	uint32_t block_align;  /* bytes per frame = channels * lc_fmt_sample_bytes(sample) */
	uint32_t channel_mask; /* SPEAKER_* bits, 0 = no particular layout (see lc_chmap.h) */
	uint32_t valid_bits;   /* significant bits per sample, 1 .. container bits */
};

/* Why a format was rejected; every distinct cause has its own value. */
enum lc_fmt_reject {
	LC_FMT_REJECT_NONE = 0,
	LC_FMT_REJECT_TRUNCATED,         /* fewer bytes than the structure needs */
	LC_FMT_REJECT_TAG,               /* wFormatTag not PCM, IEEE_FLOAT or EXTENSIBLE */
	LC_FMT_REJECT_EXT_CB_SIZE,       /* EXTENSIBLE with cbSize < 22 */
	LC_FMT_REJECT_SUBFORMAT,         /* EXTENSIBLE sub-format neither PCM nor IEEE_FLOAT */
	LC_FMT_REJECT_CHANNELS,          /* nChannels 0 or > 32 */
	LC_FMT_REJECT_RATE,              /* nSamplesPerSec outside 8000 .. 384000 */
	LC_FMT_REJECT_INT_BITS,          /* integer container not 8, 16, 24 or 32 bits */
	LC_FMT_REJECT_FLOAT_BITS,        /* float container not 32 bits (8/16/64-bit float) */
	LC_FMT_REJECT_VALID_BITS,        /* wValidBitsPerSample > container */
	LC_FMT_REJECT_FLOAT_VALID_BITS,  /* float with wValidBitsPerSample other than 32 */
	LC_FMT_REJECT_BLOCK_ALIGN,       /* nBlockAlign != nChannels * container bytes */
	LC_FMT_REJECT_AVG_BYTES,         /* nAvgBytesPerSec not 0 (unset) and not
					  * nSamplesPerSec * nBlockAlign */
	LC_FMT_REJECT_MASK_BITS,         /* more speaker bits set than channels */
	LC_FMT_REJECT_MASK_RESERVED,     /* speaker bits outside LC_FMT_MASK_DEFINED */
	LC_FMT_REJECT_SAMPLE,            /* (lc_fmt_check only) sample type out of range */
	LC_FMT_N_REJECTS
};

/* "name: explanation" for logs and test messages; never NULL. */
const char *
lc_fmt_reject_str(enum lc_fmt_reject reason);

/* "u8", "s16", "s24", "s24_32", "s32", "f32"; "invalid" for anything else. */
const char *
lc_fmt_sample_name(enum lc_fmt_sample sample);

/* Container bytes per sample: 1, 2, 3, 4, 4, 4; 0 for an invalid value. */
uint32_t
lc_fmt_sample_bytes(enum lc_fmt_sample sample);

/*
 * Parses and validates a WAVEFORMATEX, PCMWAVEFORMAT or WAVEFORMATEXTENSIBLE.
 * @param fmt       filled on success only
 * @param wfx       the client's bytes (any alignment); read only within size_bytes
 * @param size_bytes how many bytes at wfx the caller can vouch for.  16 is enough for
 *                  PCM and IEEE_FLOAT; EXTENSIBLE needs 40.  Bytes beyond the structure
 *                  the tag and cbSize describe are ignored.
 * @param reject    if not NULL, set to the reason (LC_FMT_REJECT_NONE on success)
 * @return 0, LC_E_FORMAT (the format is not one we take; *reject says why), or
 *         LC_E_INVALID (fmt or wfx NULL).
 * Pure function of its inputs; any thread.
 */
int
lc_fmt_parse_wfx(struct lc_fmt *fmt, const void *wfx, size_t size_bytes,
		 enum lc_fmt_reject *reject);

/*
 * Checks an lc_fmt against the same rules (range of sample, rate, channels, valid bits,
 * block_align, channel mask).  Returns 0 or LC_E_FORMAT with *reject (may be NULL) set.
 */
int
lc_fmt_check(const struct lc_fmt *fmt, enum lc_fmt_reject *reject);

/*
 * Fills *fmt from its parts (block_align and valid_bits derived: 24 for S24_32, the
 * container otherwise) and checks it.  Returns 0 or LC_E_FORMAT with *reject set.
 */
int
lc_fmt_init(struct lc_fmt *fmt, enum lc_fmt_sample sample, uint32_t rate_hz,
	    uint32_t channels, uint32_t channel_mask, enum lc_fmt_reject *reject);

/*
 * Writes fmt as a WAVEFORMATEXTENSIBLE image (LC_WFX_EXTENSIBLE_BYTES bytes, cbSize
 * 22).  Returns the number of bytes written, LC_E_TOO_SMALL if size_bytes < 40, or
 * LC_E_FORMAT if fmt does not pass lc_fmt_check().  lc_fmt_parse_wfx() of the image
 * gives back an identical struct lc_fmt.
 */
int
lc_fmt_to_wfx_extensible(const struct lc_fmt *fmt, void *out, size_t size_bytes);

#endif /* LC_FMT_H */
