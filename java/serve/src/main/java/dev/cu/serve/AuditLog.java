package dev.cu.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The service's append-only audit log: one JSON line per request with its time, the wallet, the
 * unit's key, the endpoint, the outcome, the HTTP status and the duration. It holds no request
 * or response body and no secret. Lines are appended with one write each, so concurrent
 * requests never interleave within a line. A line cut short by a crash is ended when the log is
 * opened again and skipped on reading, as are bytes that are not UTF-8.
 */
public final class AuditLog implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One request.
   *
   * @param time when it arrived
   * @param wallet the signer's address, or null when no signature was verified
   * @param key the unit's key, or null
   * @param endpoint the method and the route, such as {@code POST /v1/units/{key}/compute}
   * @param outcome {@code ok} or the error's kind
   * @param status the HTTP status answered
   * @param micros how long it took, in microseconds
   */
  public record Entry(
      Instant time,
      String wallet,
      String key,
      String endpoint,
      String outcome,
      int status,
      long micros) {}

  private final FileChannel out;

  private AuditLog(FileChannel out) {
    this.out = out;
  }

  /**
   * Opens {@code file} for appending (made when missing).
   *
   * @throws IOException when it cannot be opened
   */
  public static AuditLog open(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = in.size();
      ByteBuffer last = ByteBuffer.allocate(1);
      if (size > 0 && in.read(last, size - 1) == 1 && last.get(0) != '\n') {
        ch.write(ByteBuffer.wrap(new byte[] {'\n'})); // end a line a crash cut short
      }
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    return new AuditLog(ch);
  }

  /**
   * Appends {@code e} as one line.
   *
   * @throws IOException when it cannot be written
   */
  public synchronized void append(Entry e) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("time", e.time().toString());
    n.put("wallet", e.wallet());
    n.put("key", e.key());
    n.put("endpoint", e.endpoint());
    n.put("outcome", e.outcome());
    n.put("status", e.status());
    n.put("micros", e.micros());
    byte[] line = (JSON.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.wrap(line);
    while (b.hasRemaining()) {
      out.write(b);
    }
  }

  /**
   * The entries of {@code file} that {@code filter} accepts, oldest first; a line that does not
   * parse (cut short by a crash) is skipped.
   *
   * @throws IOException when the file cannot be read
   */
  public static List<Entry> read(Path file, Predicate<Entry> filter) throws IOException {
    List<Entry> out = new ArrayList<>();
    if (!Files.exists(file)) {
      return out;
    }
    try (BufferedReader r = // an InputStreamReader replaces malformed bytes instead of failing
        new BufferedReader(
            new java.io.InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        Entry e = parse(line);
        if (e != null && filter.test(e)) {
          out.add(e);
        }
      }
    }
    return out;
  }

  private static Entry parse(String line) {
    try {
      JsonNode n = JSON.readTree(line);
      if (n == null || !n.has("time") || !n.has("endpoint")) {
        return null;
      }
      return new Entry(
          Instant.parse(n.get("time").asText()),
          text(n, "wallet"),
          text(n, "key"),
          n.get("endpoint").asText(),
          text(n, "outcome"),
          n.path("status").asInt(),
          n.path("micros").asLong());
    } catch (JsonProcessingException | java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  /** Forces what was appended to the disk and closes the file. */
  @Override
  public synchronized void close() throws IOException {
    if (out.isOpen()) {
      out.force(true);
      out.close();
    }
  }
}
