package dev.cu.cli;

import dev.cu.pool.PoolKeys;
import dev.cu.store.LmdbEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cu state keys} and {@code cu state delete-key KEY}: the keys of a {@code --state}
 * folder, as {@code --key} and a unit pool (dev.cu.pool.UnitPool) keep them.
 */
final class KeyCommands {
  private KeyCommands() {}

  /**
   * Runs {@code body} on the folder's environment; a folder that does not exist or holds no store
   * has no keys, and none is created there.
   */
  private static <T> T withEnvironment(
      StateCommand parent, T absent, java.util.function.Function<LmdbEnvironment, T> body) {
    Path dir = Path.of(parent.state);
    if (!Files.isRegularFile(dir.resolve(StateFolder.DATA_FILE))) {
      return absent;
    }
    try (LmdbEnvironment env = LmdbEnvironment.open(dir, parent.store.options())) {
      return body.apply(env);
    }
  }

  @Command(
      name = "keys",
      mixinStandardHelpOptions = true,
      versionProvider = Main.Version.class,
      description = "List the keys that have state, one per line (--json: one JSON array).")
  static final class KeysCommand implements Callable<Integer> {
    @ParentCommand StateCommand parent;

    @Option(names = "--json", description = "One line of JSON: an array of the keys.")
    boolean json;

    @Override
    public Integer call() {
      List<String> keys = withEnvironment(parent, List.of(), PoolKeys::keys);
      if (json) {
        parent.streams.out().println(JsonFormat.toJson(keys));
      } else {
        keys.forEach(parent.streams.out()::println);
      }
      return ExitCode.OK;
    }
  }

  @Command(
      name = "delete-key",
      mixinStandardHelpOptions = true,
      versionProvider = Main.Version.class,
      description = "Delete the state of KEY: its _home and its named states.")
  static final class DeleteKeyCommand implements Callable<Integer> {
    @ParentCommand StateCommand parent;

    @Parameters(paramLabel = "KEY")
    String key;

    @Override
    public Integer call() {
      StoreOptions.namespace(key); // a bad key is a usage error before the folder is opened
      boolean had =
          withEnvironment(
              parent, false, env -> PoolKeys.delete(env, key, parent.store.lockTimeout));
      if (!had) {
        throw new CliException(
            ErrorKind.USAGE, "no key " + key + " has state (cu state keys shows the keys)");
      }
      return ExitCode.OK;
    }
  }
}
