package dev.cu.cli;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The bytes of the process's arguments. The JVM decodes {@code argv} with the platform's
 * charset before {@code main} sees it, which turns bytes that are not valid in it (e.g. a Lua
 * string literal with {@code \xff} given to {@code cu eval}) into replacement characters. On
 * Linux the kernel keeps the original bytes in {@code /proc/self/cmdline}; the last {@code
 * args.length} entries there are {@code main}'s arguments.
 */
final class RawArgs {
  private RawArgs() {}

  /**
   * The bytes of each of {@code args}, or an empty list when they cannot be known for sure (no
   * {@code /proc}, or an entry that does not decode to the argument the JVM gave).
   */
  static List<byte[]> of(String[] args) {
    byte[] cmdline;
    try {
      cmdline = Files.readAllBytes(Path.of("/proc/self/cmdline"));
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
    return match(split(cmdline), args, jnuCharset());
  }

  /** The NUL-terminated entries of {@code cmdline}. */
  static List<byte[]> split(byte[] cmdline) {
    List<byte[]> entries = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < cmdline.length; i++) {
      if (cmdline[i] == 0) {
        entries.add(Arrays.copyOfRange(cmdline, start, i));
        start = i + 1;
      }
    }
    if (start < cmdline.length) {
      entries.add(Arrays.copyOfRange(cmdline, start, cmdline.length));
    }
    return entries;
  }

  /** The last {@code args.length} entries, if each decodes to its argument; else empty. */
  static List<byte[]> match(List<byte[]> entries, String[] args, Charset charset) {
    if (entries.size() < args.length) {
      return List.of();
    }
    List<byte[]> tail = entries.subList(entries.size() - args.length, entries.size());
    for (int i = 0; i < args.length; i++) {
      if (!new String(tail.get(i), charset).equals(args[i])) {
        return List.of();
      }
    }
    return List.copyOf(tail);
  }

  private static Charset jnuCharset() {
    try {
      return Charset.forName(System.getProperty("sun.jnu.encoding"));
    } catch (RuntimeException e) {
      return Charset.defaultCharset();
    }
  }
}
