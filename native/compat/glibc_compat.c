/*
** glibc_compat.c - clock_gettime for libcu on x86_64 glibc older than
** 2.17, where it lives in librt. libcu is linked with
** --wrap=clock_gettime, so its calls land here: the kernel's vDSO
** function when it can be found (as fast as glibc's own), else the
** system call. Only libc symbols of version 2.2.5 are used.
*/
#if defined(__x86_64__)

#include <elf.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

typedef int (*cu_ClockFn) (clockid_t clk, struct timespec *ts);

int __wrap_clock_gettime (clockid_t clk, struct timespec *ts);

static cu_ClockFn vdso_clock;  /* the vDSO's function, once found */
static int looked_up;          /* whether the search ran (it is idempotent) */


/* The vDSO's ELF header, from the process's auxiliary vector. */
static const Elf64_Ehdr *vdso_header (void) {
  Elf64_auxv_t av;
  const Elf64_Ehdr *eh = NULL;
  int fd = open("/proc/self/auxv", O_RDONLY);
  if (fd < 0)
    return NULL;
  while (read(fd, &av, sizeof(av)) == (ssize_t)sizeof(av) && av.a_type != AT_NULL) {
    if (av.a_type == AT_SYSINFO_EHDR) {
      eh = (const Elf64_Ehdr *)(uintptr_t)av.a_un.a_val;
      break;
    }
  }
  close(fd);
  return eh;
}


/* Finds a function symbol of the vDSO through its SysV hash table. */
static void *vdso_symbol (const Elf64_Ehdr *eh, const char *name) {
  const char *base = (const char *)eh;
  const Elf64_Phdr *ph = (const Elf64_Phdr *)(base + eh->e_phoff);
  const Elf64_Dyn *dyn = NULL;
  const Elf64_Sym *syms = NULL;
  const Elf32_Word *hash = NULL;
  const char *strs = NULL;
  uintptr_t load = 0;
  int i, found_load = 0;
  Elf32_Word k;
  for (i = 0; i < eh->e_phnum; i++) {
    if (ph[i].p_type == PT_LOAD && !found_load) {
      load = (uintptr_t)base + ph[i].p_offset - ph[i].p_vaddr;
      found_load = 1;
    }
    else if (ph[i].p_type == PT_DYNAMIC)
      dyn = (const Elf64_Dyn *)(base + ph[i].p_offset);
  }
  if (!found_load || dyn == NULL)
    return NULL;
  for (; dyn->d_tag != DT_NULL; dyn++) {
    if (dyn->d_tag == DT_SYMTAB) syms = (const Elf64_Sym *)(load + dyn->d_un.d_ptr);
    else if (dyn->d_tag == DT_STRTAB) strs = (const char *)(load + dyn->d_un.d_ptr);
    else if (dyn->d_tag == DT_HASH) hash = (const Elf32_Word *)(load + dyn->d_un.d_ptr);
  }
  if (syms == NULL || strs == NULL || hash == NULL)
    return NULL;
  for (k = 0; k < hash[1]; k++) {  /* hash[1]: number of symbols */
    if (ELF64_ST_TYPE(syms[k].st_info) == STT_FUNC && syms[k].st_shndx != SHN_UNDEF
        && strcmp(strs + syms[k].st_name, name) == 0)
      return (void *)(load + syms[k].st_value);
  }
  return NULL;
}


int __wrap_clock_gettime (clockid_t clk, struct timespec *ts) {
  cu_ClockFn fn = __atomic_load_n(&vdso_clock, __ATOMIC_ACQUIRE);
  if (fn == NULL && !__atomic_load_n(&looked_up, __ATOMIC_ACQUIRE)) {
    const Elf64_Ehdr *eh = vdso_header();
    if (eh != NULL && memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0)
      fn = (cu_ClockFn)vdso_symbol(eh, "__vdso_clock_gettime");
    __atomic_store_n(&vdso_clock, fn, __ATOMIC_RELEASE);
    __atomic_store_n(&looked_up, 1, __ATOMIC_RELEASE);
  }
  if (fn != NULL)
    return fn(clk, ts);
  return (int)syscall(SYS_clock_gettime, clk, ts);
}

#else

/* ISO C forbids an empty translation unit */
typedef int cu_glibc_compat_unused;

#endif
