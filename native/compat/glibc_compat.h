/*
** glibc_compat.h - force-included (-include) into every source of libcu
** built for Linux with glibc. The build machine's glibc gives some
** functions newer symbol versions than an old distribution has; these
** directives bind the references to the oldest version, so that libcu
** loads on glibc 2.14 (x86_64) and 2.17 (aarch64, its first release).
** The glibc_baseline test checks the result. See docs/PACKAGING.md.
*/
#ifndef glibc_compat_h
#define glibc_compat_h

#if defined(__x86_64__)
#define CU_GLIBC_FIRST "GLIBC_2.2.5"
/* memcpy@GLIBC_2.14 only stopped tolerating overlapping copies */
__asm__(".symver memcpy, memcpy@" CU_GLIBC_FIRST);
/* clock_gettime moved from librt to libc in 2.17: libcu is linked with
** --wrap=clock_gettime and glibc_compat.c provides the function */
#elif defined(__aarch64__)
#define CU_GLIBC_FIRST "GLIBC_2.17"
#endif

#if defined(CU_GLIBC_FIRST)
/* glibc 2.29 gave these new versions without the old SVID error
** handling (matherr); the values returned are the same */
__asm__(".symver exp, exp@" CU_GLIBC_FIRST);
__asm__(".symver log, log@" CU_GLIBC_FIRST);
__asm__(".symver log2, log2@" CU_GLIBC_FIRST);
__asm__(".symver pow, pow@" CU_GLIBC_FIRST);
#endif

#endif
