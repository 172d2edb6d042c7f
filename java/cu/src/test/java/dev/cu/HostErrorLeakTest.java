package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a script learns from a failing host function: the function's name, or the message of a
 * {@link LuaRuntimeException} thrown on purpose, and nothing of Java.
 */
class HostErrorLeakTest {
  private static final String SECRET = "s3cr3t-db-password";

  record Rect(long w, long h) {}

  /** A script that catches the error every way it can and prints what it got. */
  private static final String PROBE =
      "local ok1, e1 = pcall(%1$s) "
          + "local ok2, e2 = pcall(function() return %1$s() end) "
          + "local ok3, e3 = xpcall(%1$s, function(m) return m end) "
          + "print(e1) print(e2) print(e3) print(type(e1), type(e2)) "
          + "return ok1, ok2, ok3, e1, e2, e3";

  private static ComputeResult probe(ComputeUnit cu, String fn) {
    return cu.execute(String.format(PROBE, fn));
  }

  private static void assertNothingOfJava(ComputeResult r) {
    String seen = r.output() + r.values();
    assertThat(seen)
        .doesNotContain(SECRET)
        .doesNotContain("Exception")
        .doesNotContain("Error")
        .doesNotContain("java")
        .doesNotContain("dev.cu")
        .doesNotContain("\tat ")
        .doesNotContain("jackson")
        .doesNotContain("Rect");
  }

  @Test
  void aCaughtJavaExceptionShowsOnlyTheFunctionName() {
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .function(
                "boom",
                args -> {
                  throw new IllegalStateException(
                      "failed at " + SECRET, new RuntimeException(SECRET));
                })
            .build()) {
      ComputeResult r = probe(cu, "boom");
      assertNothingOfJava(r);
      assertThat(r.values())
          .containsExactly(
              false,
              false,
              false,
              "host function 'boom' failed",
              "compute:1: host function 'boom' failed",
              "host function 'boom' failed");
      assertThat(r.output()).contains("string\tstring");
    }
  }

  @Test
  void aNullPointerExceptionMessageNeverReachesLua() {
    Map<String, Object> config = new java.util.HashMap<>();
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .function(
                "lookup",
                args -> {
                  Object v = config.get("missing");
                  if (v == null) {
                    throw new NullPointerException("config value for " + SECRET + " is null");
                  }
                  return v;
                })
            .function("npe", args -> ((String) args.get(0)).length())
            .build()) {
      for (String fn : new String[] {"lookup", "npe"}) {
        ComputeResult r = probe(cu, fn);
        assertNothingOfJava(r);
        assertThat(r.values().get(3)).isEqualTo("host function '" + fn + "' failed");
      }
    }
  }

  @Test
  void errorsOfEveryKindShowOnlyTheFunctionName() {
    List<Throwable> thrown =
        List.of(
            new AssertionError(SECRET),
            new StackOverflowError(),
            new OutOfMemoryError(SECRET),
            new Exception(SECRET + "\n\tat dev.cu.Secret.method(Secret.java:1)"),
            new RuntimeException(new LuaRuntimeException(SECRET, null, null, null)),
            new LuaTimeoutException(SECRET, LuaTimeoutException.Reason.INTERRUPTED),
            new LuaMemoryException(SECRET));
    List<Throwable> causes = new ArrayList<>();
    for (Throwable t : thrown) {
      try (ComputeUnit cu =
          ComputeUnit.builder()
              .function(
                  "f",
                  args -> {
                    if (t instanceof Error e) {
                      throw e;
                    }
                    throw (Exception) t;
                  })
              .build()) {
        ComputeResult r = probe(cu, "f");
        assertNothingOfJava(r);
        assertThat(r.values().get(3)).as("%s", t).isEqualTo("host function 'f' failed");
        LuaRuntimeException e =
            catchThrowableOfType(LuaRuntimeException.class, () -> cu.compute("f()"));
        assertThat(e).hasMessage("compute:1: host function 'f' failed");
        causes.add(e.getCause());
      }
    }
    assertThat(causes).containsExactlyElementsOf(thrown);
  }

  @Test
  void aFailedConversionShowsNoJavaTypes() {
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .function("area", Rect.class, r -> r.w() * r.h())
            .function("opaque", args -> new Object())
            .build()) {
      assertNothingOfJava(cu.execute("return pcall(area, {w = 'wide'})"));
      assertNothingOfJava(cu.execute("return pcall(opaque)"));
      assertThat(cu.execute("return pcall(area, {w = {}})").values())
          .containsExactly(false, "host function 'area' failed");
    }
  }

  @Test
  void aLuaRuntimeExceptionThrownOnPurposeShowsItsMessage() {
    LuaRuntimeException quota = new LuaRuntimeException("quota exceeded", null, null, null);
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .function(
                "charge",
                args -> {
                  throw quota;
                })
            .build()) {
      ComputeResult r = probe(cu, "charge");
      assertThat(r.values())
          .containsExactly(
              false, false, false, "quota exceeded", "compute:1: quota exceeded", "quota exceeded");
      LuaRuntimeException e =
          catchThrowableOfType(LuaRuntimeException.class, () -> cu.compute("\ncharge()"));
      assertThat(e).hasMessage("compute:2: quota exceeded");
      assertThat(e.getCause()).isSameAs(quota);
    }
  }

  @Test
  void aSubclassOfLuaRuntimeExceptionShowsItsMessageAndOneWithoutMessageDoesNot() {
    class QuotaError extends LuaRuntimeException {
      QuotaError(String message) {
        super(message, null, null, null);
      }
    }
    try (ComputeUnit cu =
        ComputeUnit.builder()
            .function(
                "q",
                args -> {
                  throw new QuotaError("over quota");
                })
            .function(
                "silent",
                args -> {
                  throw new LuaRuntimeException(null, null, null, null);
                })
            .build()) {
      assertThat(cu.execute("return pcall(q)").values()).containsExactly(false, "over quota");
      assertThat(cu.execute("return pcall(silent)").values())
          .containsExactly(false, "host function 'silent' failed");
    }
  }

  @Test
  void aRegisteredFunctionIsNamedByItsPath() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      cu.register(
          "api.v1.fetch",
          args -> {
            throw new java.io.IOException(SECRET);
          });
      ComputeResult r = probe(cu, "api.v1.fetch");
      assertNothingOfJava(r);
      assertThat(r.values().get(3)).isEqualTo("host function 'api.v1.fetch' failed");
    }
  }
}
