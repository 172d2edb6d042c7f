package dev.cu.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The pure-Lua workload scripts, kept as resources in {@code dev/cu/bench/lua/<name>.lua} so
 * that the standalone {@code lua} interpreter can run the very same files. Each is a chunk that
 * does its work and returns an integer.
 */
public final class Scripts {
  /** The script names, also the values of {@link PureLuaBenchmark#script}. */
  public static final String[] NAMES = {"fib", "binarytrees", "strings"};

  private Scripts() {}

  /**
   * The source of script {@code name}.
   *
   * @throws IllegalArgumentException when there is no such script
   */
  public static String source(String name) {
    String path = "lua/" + name + ".lua";
    try (InputStream in = Scripts.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no Lua script " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
