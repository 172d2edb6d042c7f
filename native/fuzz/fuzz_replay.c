/*
** fuzz_replay.c - main() for a harness outside libFuzzer: runs
** LLVMFuzzerTestOneInput once on each file named on the command line (the
** seed corpus and the crash regressions), so ctest replays them in the
** ordinary and sanitizer builds. Prints "N passed, 0 failed"; a finding
** aborts, as under the fuzzer.
*/
#include "fuzz.h"

int main (int argc, char **argv) {
  int n = 0;
  for (int i = 1; i < argc; i++) {
    FILE *f = fopen(argv[i], "rb");
    uint8_t *b;
    long len;
    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0) {
      fprintf(stderr, "cannot read %s\n", argv[i]);
      return 2;
    }
    b = (uint8_t *)malloc(len > 0 ? (size_t)len : 1);
    if (b == NULL || fread(b, 1, (size_t)len, f) != (size_t)len) {
      fprintf(stderr, "cannot read %s\n", argv[i]);
      return 2;
    }
    fclose(f);
    LLVMFuzzerTestOneInput(b, (size_t)len);
    free(b);
    n++;
  }
  printf("%d passed, 0 failed\n", n);
  return 0;
}
