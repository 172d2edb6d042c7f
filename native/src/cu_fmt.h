/*
** cu_fmt.h - the text of a float that reads back as the same float
** (cu_fmt.c), for the encoders that write numbers as text.
*/
#ifndef cu_fmt_h
#define cu_fmt_h

#include <stddef.h>

/* Room cu_fmt_float needs, with its terminating zero. */
#define CU_FMT_FLOAT 48

/*
** Writes the finite 'd' into buf (CU_FMT_FLOAT bytes) as the shortest of
** "%.15g", "%.16g" and "%.17g" that reads back as 'd', with '.' for the
** decimal point, and ".0" added when that text is an integer, so that it
** reads as a float again (1.0, -0.0, 1e+300); returns its length.
*/
size_t cu_fmt_float (char *buf, double d);

#endif
