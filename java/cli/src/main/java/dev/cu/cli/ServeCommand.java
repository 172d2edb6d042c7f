package dev.cu.cli;

import dev.cu.serve.MasterKey;
import dev.cu.serve.ServeConfig;
import dev.cu.serve.Server;
import dev.cu.serve.Vault;
import dev.cu.store.CuStoreException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cu serve}: starts the HTTP service on a state folder and runs until the process is
 * stopped (SIGINT, SIGTERM), then closes it: running requests finish, the state is closed.
 * {@code cu serve audit} prints the service's audit log ({@link ServeAuditCommand}). See
 * docs/SERVE.md.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Serve units over HTTP, every unit request signed by a wallet (docs/SERVE.md).",
      "Runs until stopped (Ctrl-C, SIGTERM). The command audit prints its audit log."
    },
    subcommands = {ServeAuditCommand.class},
    footerHeading = "%nExamples:%n",
    footer = {
      "  cu serve --state st --config serve.json",
      "  CU_VAULT_KEY=... cu serve --state st --port 9000",
      "  cu serve audit --state st --outcome unauthorized"
    })
public final class ServeCommand implements Callable<Integer> {
  @Option(
      names = "--state",
      paramLabel = "DIR",
      defaultValue = ".cu",
      description = "The service's state folder (made when missing). Default: ${DEFAULT-VALUE}.")
  Path state;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "The configuration (JSON, docs/SERVE.md). Default: every field's default.")
  Path config;

  @Option(
      names = "--port",
      paramLabel = "N",
      description = "The port, over the configuration's (0: any free port).")
  Integer port;

  @Option(
      names = "--host",
      paramLabel = "ADDR",
      description = "The address to listen on, over the configuration's (default 127.0.0.1).")
  String host;

  @Option(
      names = "--vault-key-file",
      paramLabel = "FILE",
      description =
          "The vault's master key (base64 of 32 bytes) outside --state; else $CU_VAULT_KEY."
              + " Needed when the configuration has upstreams.")
  Path vaultKeyFile;

  final Streams streams;

  public ServeCommand(Streams streams) {
    this.streams = streams;
  }

  /** {@code cu serve} without a command: starts the server. */
  @Override
  public Integer call() throws InterruptedException {
    ServeConfig c = configuration();
    Server server;
    try {
      server = Server.start(state, c, this::masterKey);
    } catch (IOException e) {
      throw new CliException(ErrorKind.STORAGE, "cannot open " + state + ": " + e.getMessage(), e);
    } catch (Vault.VaultException e) {
      throw new CliException(ErrorKind.STORAGE, e.getMessage(), e);
    } catch (CuStoreException e) {
      throw e; // a storage error with its own message
    } catch (IllegalArgumentException e) {
      throw new CliException(ErrorKind.USAGE, e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new CliException(
          ErrorKind.USAGE, "cannot listen on " + c.host() + ":" + c.port() + ": " + e, e);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "cu-serve-stop"));
    streams
        .err()
        .println(
            "cu serve: listening on http://"
                + c.host()
                + ":"
                + server.port()
                + " (state "
                + state
                + ")");
    streams.err().flush();
    stopped.await();
    return ExitCode.OK;
  }

  /** The configuration file's, with {@code --port} and {@code --host} over it. */
  private ServeConfig configuration() {
    ServeConfig c;
    try {
      c = config == null ? ServeConfig.defaults() : ServeConfig.read(config);
    } catch (NoSuchFileException e) {
      throw new CliException(ErrorKind.USAGE, "--config " + config + ": no such file");
    } catch (IOException e) {
      throw new CliException(ErrorKind.USAGE, "--config " + config + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new CliException(ErrorKind.USAGE, e.getMessage(), e);
    }
    return c.listening(host, port);
  }

  /** The vault's key, asked only when there are upstreams: the file's, else the variable's. */
  private MasterKey masterKey() throws IOException {
    if (vaultKeyFile != null) {
      return MasterKey.fromFile(vaultKeyFile, state);
    }
    String text = streams.env().get(MasterKey.ENV);
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(
          "the configuration has upstreams, whose secrets are in the vault: give its master key"
              + " with --vault-key-file FILE or in "
              + MasterKey.ENV);
    }
    return MasterKey.fromEnvironment(streams.env());
  }
}
