package dev.cu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Terminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cu repl} through JLine's dumb terminal: scripted lines in, what the session printed
 * out (prompts removed).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReplCommandTest {
  @TempDir Path dir;

  /**
   * Runs a session on {@code input} with {@code options}, adding {@code --ephemeral} and
   * {@code --history} unless a {@code --state} or {@code --history} is given.
   */
  private Cli.Run session(String input, String... options) {
    List<String> args = new ArrayList<>(List.of("repl"));
    if (!List.of(options).contains("--history")) {
      args.addAll(List.of("--history", history().toString()));
    }
    if (!List.of(options).contains("--state")) {
      args.add("--ephemeral");
    }
    args.addAll(List.of(options));
    return Cli.runWithInput(input, args.toArray(String[]::new));
  }

  private Path history() {
    return dir.resolve("history");
  }

  /** The lines the session printed after its banner, prompts removed. */
  static List<String> lines(String out) {
    List<String> lines = new ArrayList<>();
    out.lines().skip(1).forEach(l -> lines.add(l.replaceFirst("^(>>? )+", "")));
    return lines;
  }

  /**
   * What a terminal would show of a session whose output is {@code out} and whose lines typed
   * were {@code typed}: each line after its prompt (a dumb terminal shows only the prompts).
   */
  static String transcript(String out, List<String> typed) {
    StringBuilder t = new StringBuilder();
    int next = 0;
    int at = 0;
    while (at < out.length()) {
      String prompt =
          out.startsWith(Repl.CONTINUATION, at)
              ? Repl.CONTINUATION
              : out.startsWith(Repl.PROMPT, at) ? Repl.PROMPT : null;
      if (prompt != null) {
        at += prompt.length();
        if (next < typed.size()) {
          t.append(prompt).append(typed.get(next++)).append('\n');
        }
      } else {
        int end = out.indexOf('\n', at) + 1;
        end = end == 0 ? out.length() : end;
        t.append(out, at, end);
        at = end;
      }
    }
    return t.toString();
  }

  /** The lines of the README's example session, between its markers, without the fence. */
  private static List<String> readmeSession() throws IOException {
    Path dir = Path.of("").toAbsolutePath();
    while (!Files.exists(dir.resolve("README.md"))) {
      dir = dir.getParent();
    }
    String readme = Files.readString(dir.resolve("README.md"));
    int begin = readme.indexOf("<!-- repl:begin -->");
    int end = readme.indexOf("<!-- repl:end -->");
    List<String> lines = readme.substring(begin, end).lines().toList();
    return lines.subList(2, lines.size() - 1); // the marker and ```text; the closing ```
  }

  @Test
  void theReadmeSessionRunsAsShown() throws IOException {
    List<String> session = readmeSession();
    assertThat(session.get(0)).startsWith("$ cu repl");
    List<String> args = new ArrayList<>(List.of(session.get(0).substring(5).split(" ")));
    args.addAll(List.of("--history", history().toString()));
    List<String> typed = new ArrayList<>();
    StringBuilder shown = new StringBuilder();
    StringBuilder errors = new StringBuilder();
    for (String line : session.subList(2, session.size())) {
      if (line.startsWith(Repl.CONTINUATION)) {
        typed.add(line.substring(Repl.CONTINUATION.length()));
      } else if (line.startsWith(Repl.PROMPT)) {
        typed.add(line.substring(Repl.PROMPT.length()));
      }
      (line.startsWith("cu: ") ? errors : shown).append(line).append('\n');
    }
    Cli.Run r = Cli.runWithInput(String.join("\n", typed) + "\n", args.toArray(String[]::new));
    assertThat(r.exit()).isZero();
    String banner = "cu \\S+ \\(Lua 5\\.4\\.7\\): Lua code, or :help";
    assertThat(session.get(1)).matches(banner);
    String out = transcript(r.out(), typed);
    assertThat(out.lines().findFirst().orElse("")).matches(banner);
    // the last prompt, where the input ended, shows no line: its newline ends the output
    assertThat(out.substring(out.indexOf('\n') + 1)).isEqualTo(shown + "\n");
    assertThat(r.err()).isEqualTo(errors.toString());
  }

  @Test
  void theBannerNamesCuAndLua() {
    Cli.Run r = session("");
    assertThat(r.exit()).isZero();
    assertThat(r.out().lines().findFirst().orElse(""))
        .matches("cu \\S+ \\(Lua 5\\.4\\.7\\): Lua code, or :help");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void expressionsPrintAllTheirValues() {
    Cli.Run r = session("=1+1\n2*3\n'a', nil, 3\nnil\nprint('hi')\n0.1, 2^53, 3.0\n");
    assertThat(r.exit()).isZero();
    assertThat(lines(r.out()))
        .containsSubsequence("2", "6", "a\tnil\t3", "nil", "hi", "0.1\t9.007199254741e+15\t3.0");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void statementsPrintNothingAndGlobalsPersist() {
    Cli.Run r = session("x = 20\nfunction add(a) return x + a end\nlocal y = 5\n=add(22)\n");
    assertThat(r.exit()).isZero();
    assertThat(lines(r.out())).containsSubsequence("42").doesNotContain("nil", "5");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void unfinishedChunksContinueOnTheNextLine() {
    Cli.Run r =
        session(
            "function fib(n)\n"
                + "  if n < 2 then return n end\n"
                + "  return fib(n - 1) + fib(n - 2)\n"
                + "end\n"
                + "=fib(10)\n"
                + "t = {\n x = 1,\n}\n"
                + "=t.x + 1\n"
                + "={1,\n2, 3}\n"
                + "1 +\n2\n"
                + "s = [[a\nb]]\n"
                + "=#s\n");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains(Repl.CONTINUATION);
    assertThat(lines(r.out())).containsSubsequence("55", "2", "[1,2,3]", "3", "3");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void errorsDoNotEndTheSession() {
    Cli.Run r = session("error('boom')\n=1\nx = = 2\n=2\nerror({code = 7})\n=3\n");
    assertThat(r.exit()).isZero();
    assertThat(lines(r.out())).containsSubsequence("1", "2", "3");
    List<String> errors = r.err().lines().toList();
    assertThat(errors).hasSize(3);
    assertThat(errors.get(0)).isEqualTo("cu: runtime: repl:1: boom");
    assertThat(errors.get(1)).isEqualTo("cu: syntax: repl:1: unexpected symbol near '='");
    assertThat(errors.get(2)).startsWith("cu: runtime: ").endsWith("{\"code\":7}");
  }

  @Test
  void tablesPrintAsJsonWithSharingShown() {
    Cli.Run r = session("={1, 2, {a = 'x'}}\nt = {}\n={t, t}\n={n = 0/0}\n");
    assertThat(r.exit()).isZero();
    assertThat(lines(r.out()))
        .containsSubsequence(
            "[1,2,{\"a\":\"x\"}]", "[{\"$id\":1},{\"$ref\":1}]", "{\"n\":\"NaN\"}");
  }

  @Test
  void jsonPrintsOneLinePerChunk() {
    Cli.Run r = session("print('hi') return 1, 'a'\n", "--json");
    assertThat(r.exit()).isZero();
    assertThat(lines(r.out()))
        .contains(
            "{\"value\":\"a\",\"values\":[1,\"a\"],\"output\":\"hi\\n\",\"io\":{\"output\":null}}");
  }

  @Test
  void eachChunkHasItsOwnOutputLimit() {
    Cli.Run r = session("=string.rep('x', 100)\n=1\n", "--output-limit", "10");
    assertThat(r.exit()).isZero();
    assertThat(r.err()).startsWith("cu: output: output exceeds --output-limit of 10 bytes");
    assertThat(lines(r.out())).contains("1").noneMatch(l -> l.contains("xxxxxxxxxx"));
  }

  @Test
  void endOfInputLeavesEvenInsideAChunk() {
    Cli.Run r = session("=1\nfunction f()\n");
    assertThat(r.exit()).isZero();
    assertThat(lines(r.out())).contains("1");
    assertThat(r.err()).isEqualTo("cu: syntax: repl:1: 'end' expected near <eof>\n");
  }

  @Test
  void theOutputEndsWithANewline() {
    assertThat(session("=1\n").out()).endsWith("\n> 1\n> \n");
    assertThat(session("function f()\n").out()).endsWith("\n> >> \n");
  }

  @Test
  void helpAndUnknownCommands() {
    Cli.Run r = session(":help\n:nope\n::label::\n");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains(SessionCommands.HELP);
    assertThat(r.err()).isEqualTo("cu: usage: unknown command :nope (:help lists the commands)\n");
  }

  @Test
  void stateCommitsEachSuccessfulChunk() {
    String st = dir.resolve("st").toString();
    Cli.Run r =
        session(
            "_home.n = 41\n_home.n = _home.n + 1\n_home.n = 100 error('no')\n=_home.n\n",
            "--state",
            st);
    assertThat(r.exit()).isZero();
    assertThat(lines(r.out())).contains("42");
    assertThat(r.err()).isEqualTo("cu: runtime: repl:1: no\n");
    Cli.Run later = Cli.run("eval", "--state", st, "return _home.n");
    assertThat(later.out()).isEqualTo("42\n");
  }

  @Test
  void saveAndLoadNamedStates() {
    String st = dir.resolve("st").toString();
    Cli.Run r =
        session(
            "_home.v = 'first'\n:save one\n_home.v = 'second'\n=_home.v\n:load one\n=_home.v\n"
                + ":state\n:load two\n:save bad/name\n",
            "--state",
            st);
    assertThat(r.exit()).isZero();
    assertThat(lines(r.out()))
        .containsSubsequence("saved one", "second", "loaded one", "first", "state: " + st)
        .contains("named states: one");
    assertThat(r.err())
        .startsWith("cu: usage: no state named two (:state lists them)\n")
        .contains("cu: usage: bad state name 'bad/name'");
    assertThat(Cli.run("eval", "--state", st, "return _home.v").out()).isEqualTo("first\n");
  }

  @Test
  void namedStatesNeedAStateFolder() {
    Cli.Run r = session(":save one\n:state\n");
    assertThat(r.err())
        .isEqualTo("cu: usage: :save needs a state folder: this session is --ephemeral\n");
    assertThat(lines(r.out()))
        .anyMatch(l -> l.startsWith("state: none"))
        .anyMatch(l -> l.matches("tables: \\d+ .*"))
        .anyMatch(l -> l.matches("memory: .* used, peak .*, limit 256\\.0 MiB"));
  }

  @Test
  void resetStartsAFreshUnit() {
    Cli.Run r = session("x = 1\n:reset\n=x\n");
    assertThat(lines(r.out())).containsSubsequence("reset: a fresh unit, _home empty", "nil");

    String st = dir.resolve("st").toString();
    Cli.Run s = session("_home.k = 1\ny = 2\n:reset\n=_home.k, y\n", "--state", st);
    assertThat(lines(s.out())).contains("1\tnil");
    assertThat(s.err()).isEmpty();
  }

  @Test
  void linesAreKeptInTheHistoryFile() throws IOException {
    session("x = 1\n=x\nfunction f()\n  return 1\nend\n");
    assertThat(Files.readString(history())).contains("x = 1", "=x", "return 1", "end");
    Cli.Run none = session("=2\n", "--history", "");
    assertThat(none.exit()).isZero();
    assertThat(lines(none.out())).contains("2");
  }

  @Test
  void ctrlCStopsARunningChunkAndTheSessionGoesOn() throws Exception {
    try (ReplSession s = new ReplSession()) {
      s.type("while true do end\n");
      s.await(s.repl::running);
      s.terminal.raise(Terminal.Signal.INT); // what Ctrl-C does
      s.type("=1 + 1\n");
      s.end();
      assertThat(s.err()).isEqualTo("cu: timeout: interrupted\n");
      assertThat(lines(s.out())).contains("2");
    }
  }

  @Test
  void ctrlCAtThePromptClearsTheLine() throws Exception {
    try (ReplSession s = new ReplSession()) {
      s.type("x = ");
      Thread.sleep(300); // the reader holds "x = "
      s.terminal.raise(Terminal.Signal.INT);
      s.type("=5\n");
      s.end();
      assertThat(s.err()).isEmpty();
      assertThat(lines(s.out())).contains("5");
    }
  }

  @Test
  void tabCompletesCommandsGlobalsKeywordsAndFields() throws Exception {
    try (ReplSession s = new ReplSession()) {
      s.type("t = {alpha = 1, beta = 2, [3] = 'x'}\n=40 + 2\n");
      s.await(() -> lines(s.out()).contains("42"));
      ReplCompleter c = new ReplCompleter(s.repl::unit);
      assertThat(c.complete(":s", true)).containsExactlyInAnyOrder(":save", ":state");
      assertThat(c.complete("t.a", false)).containsExactly("t.alpha");
      assertThat(c.complete("t.", false)).containsExactly("t.alpha", "t.beta");
      assertThat(c.complete("print(string.for", false)).containsExactly("print(string.format");
      assertThat(c.complete("wh", false)).containsExactly("while");
      assertThat(c.complete("pai", false)).containsExactly("pairs");
      assertThat(c.complete("t.alpha.x", false)).isEmpty();
      assertThat(c.complete("nosuch.", false)).isEmpty();
      s.end();
      assertThat(s.err()).isEmpty();
    }
  }

  @Test
  void aResetThatFailsLeavesTheSessionWaitingForAnother() throws Exception {
    Path key = dir.resolve("hmac.hex");
    String hex = "00".repeat(32);
    Files.writeString(key, hex);
    String st = dir.resolve("st").toString();
    try (ReplSession s = new ReplSession("--state", st, "--hmac-key-file", key.toString())) {
      s.type("x = 1\n_home.n = 7\n");
      Files.delete(key); // the next unit cannot be built
      s.type(":reset\n=1\n");
      s.await(() -> s.err().lines().count() >= 2);
      Files.writeString(key, hex);
      s.type(":reset\n=_home.n, x\n");
      s.end();
      assertThat(s.err().lines().toList())
          .hasSize(2)
          .allMatch(l -> l.startsWith("cu: "))
          .last()
          .isEqualTo("cu: runtime: no unit: :reset failed; try :reset again");
      assertThat(lines(s.out()))
          .containsSubsequence(
              "reset: a fresh unit, _home as the" + " state folder holds it", "7\tnil");
    }
  }

  @Test
  void withoutATerminalCuAloneIsStillAUsageError() {
    assertThat(ReplCommand.interactive(new Streams(System.out, System.err, System.in)))
        .isEqualTo(System.console() != null);
    Cli.Run none = Cli.run();
    assertThat(none.exit()).isEqualTo(ExitCode.USAGE);
  }

  @Test
  void helpDescribesTheSession() {
    Cli.Run r = Cli.run("repl", "--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("Usage: cu repl", "--history=FILE", "--state=DIR", ":save NAME");
  }
}
