package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JVMs that start at once share one cache folder safely (docs/PACKAGING.md). */
class NativeCacheJvmTest {
  @TempDir Path cache;

  private CompletableFuture<ChildJvm.Result> start(List<String> jvmArgs) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return ChildJvm.runWith(jvmArgs, NativeLoadChild.class);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  private List<String> files() throws Exception {
    try (Stream<Path> s = Files.walk(cache)) {
      return s.filter(Files::isRegularFile)
          .map(p -> p.getFileName().toString())
          .sorted()
          .collect(Collectors.toList());
    }
  }

  @Test
  void twoJvmsExtractingIntoOneEmptyCacheBothLoadTheLibrary() throws Exception {
    List<String> args = List.of("-Dcu.cache.dir=" + cache);
    CompletableFuture<ChildJvm.Result> a = start(args);
    CompletableFuture<ChildJvm.Result> b = start(args);
    for (ChildJvm.Result r : List.of(a.get(), b.get())) {
      assertThat(r.output()).contains("value 42");
      assertThat(r.exitCode()).isZero();
    }
    assertThat(files()).containsExactly(".lock", System.mapLibraryName("cu"));
  }

  @Test
  void anUnwritableCacheDirFailsWithTheOverrideNamed() throws Exception {
    Path file = Files.writeString(cache.resolve("file"), "x");
    ChildJvm.Result r =
        ChildJvm.runWith(List.of("-Dcu.cache.dir=" + file.resolve("sub")), NativeLoadChild.class);
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.output())
        .contains("UnsatisfiedLinkError")
        .contains("-Dcu.cache.dir=<folder>")
        .contains("cannot extract there");
  }
}
