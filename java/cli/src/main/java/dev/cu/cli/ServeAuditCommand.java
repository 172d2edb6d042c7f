package dev.cu.cli;

import dev.cu.serve.AuditLog;
import dev.cu.serve.StateLayout;
import dev.cu.serve.Wallet;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code cu serve audit}: the entries of a service's audit log ({@link AuditLog}) that match the
 * filters, oldest first, as a table or as JSON lines.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Print the audit log of a service, newest last.",
      "The log of the --state folder (default .cu) has one entry per request; it prints as a",
      "table, or as JSON lines with --json. Filters combine: an entry is printed when it",
      "matches every one given. A missing or empty log prints nothing."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  cu serve audit --state st --wallet 0xabc...123 --outcome ok",
      "  cu serve audit --state st --since 2025-01-01T00:00:00Z --limit 20 --json",
      "",
      "JSON lines have the fields time, wallet, key, endpoint, outcome, status and micros;"
          + " wallet and key are null when the request had none.%n"
    })
final class ServeAuditCommand implements Callable<Integer> {
  @ParentCommand ServeCommand parent;

  @Option(
      names = "--state",
      paramLabel = "DIR",
      defaultValue = ".cu",
      description = "The service's state folder. Default: ${DEFAULT-VALUE}.")
  Path state;

  @Option(
      names = "--wallet",
      paramLabel = "ADDR",
      description = "Only requests signed by this wallet (0x and 40 hex digits, any case).")
  String wallet;

  @Option(names = "--key", paramLabel = "KEY", description = "Only requests to this unit key.")
  String key;

  @Option(
      names = "--outcome",
      paramLabel = "X",
      description = "Only requests with this outcome: ok, or an error's kind.")
  String outcome;

  @Option(
      names = "--since",
      paramLabel = "TIME",
      converter = InstantConverter.class,
      description =
          "Only requests that arrived at or after TIME, an ISO-8601 instant such as"
              + " 2025-01-31T12:00:00Z (or with an offset, +01:00).")
  Instant since;

  @Option(
      names = "--until",
      paramLabel = "TIME",
      converter = InstantConverter.class,
      description = "Only requests that arrived before TIME (same form as --since).")
  Instant until;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "Only the newest N matching entries (N at least 1).")
  Integer limit;

  @Option(names = "--json", description = "One JSON object per line instead of the table.")
  boolean json;

  @Override
  public Integer call() {
    Predicate<AuditLog.Entry> filter = filter();
    Path file = StateLayout.audit(state);
    List<AuditLog.Entry> entries;
    try {
      entries = new ArrayList<>(AuditLog.read(file, filter));
    } catch (IOException e) {
      throw new CliException(ErrorKind.STORAGE, "cannot read the audit log " + file + ": " + e, e);
    }
    entries.sort(Comparator.comparing(AuditLog.Entry::time)); // stable: ties stay in log order
    if (limit != null && entries.size() > limit) {
      entries = entries.subList(entries.size() - limit, entries.size());
    }
    PrintStream out = parent.streams.out();
    if (json) {
      entries.forEach(e -> out.println(JsonFormat.toJson(fields(e))));
    } else {
      AuditTable.print(out, entries);
    }
    return ExitCode.OK;
  }

  /**
   * The filter the options describe.
   *
   * @throws CliException (usage) for a bad wallet address, limit or time range
   */
  private Predicate<AuditLog.Entry> filter() {
    if (limit != null && limit < 1) {
      throw new CliException(ErrorKind.USAGE, "--limit must be 1 or more");
    }
    if (since != null && until != null && !since.isBefore(until)) {
      throw new CliException(ErrorKind.USAGE, "--since must be before --until");
    }
    String address = wallet == null ? null : address(wallet);
    return e ->
        (address == null || (e.wallet() != null && address.equals(sameCase(e.wallet()))))
            && (key == null || key.equals(e.key()))
            && (outcome == null || outcome.equals(e.outcome()))
            && (since == null || !e.time().isBefore(since))
            && (until == null || e.time().isBefore(until));
  }

  /** {@code --wallet} in lower case, checked to be an address. */
  private static String address(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    try {
      Wallet.normalize(lower); // all one case: the form is checked, not an EIP-55 checksum
    } catch (IllegalArgumentException e) {
      throw new CliException(
          ErrorKind.USAGE, "bad --wallet '" + text + "': an address is 0x and 40 hex digits");
    }
    return lower;
  }

  /** An address from the log in lower case, for comparing without regard to case. */
  private static String sameCase(String address) {
    return address.toLowerCase(Locale.ROOT);
  }

  /** The fields of an entry's JSON line, named as in the log. */
  static Map<String, Object> fields(AuditLog.Entry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("time", e.time().toString());
    m.put("wallet", e.wallet());
    m.put("key", e.key());
    m.put("endpoint", e.endpoint());
    m.put("outcome", e.outcome());
    m.put("status", (long) e.status());
    m.put("micros", e.micros());
    return m;
  }

  /** An ISO-8601 instant: {@code 2025-01-31T12:00:00Z}, or with an offset. */
  static final class InstantConverter implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      try {
        return Instant.parse(value);
      } catch (DateTimeParseException e) {
        try {
          return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e2) {
          throw new TypeConversionException(
              "'" + value + "' is not an ISO-8601 instant such as 2025-01-31T12:00:00Z");
        }
      }
    }
  }
}
