package dev.cu.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of long work on stderr: a bar with the count, the rate and the time left, when stderr
 * is a terminal and the work is large; nothing otherwise, so logs and pipes get no control
 * characters and small work no flicker. Whether stderr is a terminal comes from the {@code
 * cu.stderr.terminal} property, which the {@code ./cu} launcher sets from {@code [ -t 2 ]};
 * without it, from whether the JVM has a console. Not thread-safe: one worker reports.
 */
final class Progress implements AutoCloseable {
  /** Input smaller than this, in bytes, shows no bar. */
  static final long MIN_BYTES = 8L << 20;

  /** A store with fewer rows than this shows no bar. */
  static final long MIN_ROWS = 200_000;

  /**
   * A state with fewer tables than this shows no bar on export: about {@link #MIN_ROWS} rows at
   * ten rows a table.
   */
  static final long MIN_TABLES = 20_000;

  private final PrintStream err;
  private final boolean terminal;
  private final String task;
  private final String unit;
  private final long min;
  private ProgressBar bar;
  private boolean closed;

  private Progress(PrintStream err, boolean terminal, String task, String unit, long min) {
    this.err = err;
    this.terminal = terminal;
    this.task = task;
    this.unit = unit;
    this.min = min;
  }

  /** Whether stderr is a terminal. */
  static boolean stderrIsTerminal() {
    String p = System.getProperty("cu.stderr.terminal");
    if (p != null) {
      return Boolean.parseBoolean(p);
    }
    return System.console() != null;
  }

  /**
   * Progress of {@code task} counted in {@code unit} ({@code MiB} counts bytes), shown on {@code
   * err} when {@code terminal} and the total reaches {@code min}.
   */
  static Progress on(PrintStream err, boolean terminal, String task, String unit, long min) {
    return new Progress(err, terminal, task, unit, min);
  }

  /** Progress of {@code task} on stderr {@code err}, as {@link #stderrIsTerminal} finds it. */
  static Progress on(PrintStream err, String task, String unit, long min) {
    return on(err, stderrIsTerminal(), task, unit, min);
  }

  /**
   * {@code done} of {@code total} units are done; a negative {@code total} is unknown (standard
   * input), and the bar then shows once {@code done} reaches the minimum.
   */
  void to(long done, long total) {
    if (bar == null) {
      if (!terminal || closed || (total < 0 ? done : total) < min) {
        return;
      }
      ProgressBarBuilder b =
          new ProgressBarBuilder()
              .setTaskName(task)
              .setInitialMax(total)
              .setStyle(ProgressBarStyle.ASCII)
              .setConsumer(new ConsoleProgressBarConsumer(err, 100))
              .setUpdateIntervalMillis(200)
              .showSpeed()
              .clearDisplayOnFinish();
      if (unit.equals("MiB")) {
        b.setUnit(" MiB", 1L << 20);
      } else {
        b.setUnit(" " + unit, 1);
      }
      bar = b.build();
    }
    bar.maxHint(total < 0 ? -1 : total);
    bar.stepTo(done);
  }

  /** Ends the display; a bar is cleared. Idempotent. */
  @Override
  public void close() {
    closed = true;
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
