package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Conformance cases H5, H6, H11, H18–H22 across a restart in a new JVM process. */
class NewJvmRestartTest {
  @TempDir Path dir;

  @Test
  void stateWrittenByOneJvmIsReadByAnother() throws Exception {
    ChildJvm.Result w = ChildJvm.run(RestartChild.class, "write", dir.toString());
    assertThat(w.exitCode()).as(w.output()).isZero();
    ChildJvm.Result r = ChildJvm.run(RestartChild.class, "read", dir.toString());
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output().lines())
        .containsExactly("42", "New York", "loop", "3", "3", "42", "9", "hi!");
  }
}
