package dev.cu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cu.serve.Client;
import dev.cu.serve.ServeConfig;
import dev.cu.serve.Wallet;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cu serve} as a process: it starts, serves signed requests and stops on SIGTERM. */
class ServeCommandTest {
  static final Pattern LISTENING = Pattern.compile("listening on http://([^:]+):(\\d+)");

  @TempDir Path dir;

  /** A running {@code cu serve} and the port it printed. */
  record Served(Process process, int port, List<String> lines) {}

  static Served serve(Map<String, String> env, String... args) throws Exception {
    Process p = start(env, args);
    BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    List<String> lines = new ArrayList<>();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String line;
    while (System.nanoTime() < end && (line = r.readLine()) != null) {
      lines.add(line);
      Matcher m = LISTENING.matcher(line);
      if (line.startsWith("cu serve:") && m.find()) {
        Thread drain = new Thread(() -> r.lines().forEach(lines::add));
        drain.setDaemon(true);
        drain.start();
        return new Served(p, Integer.parseInt(m.group(2)), lines);
      }
    }
    p.destroyForcibly();
    throw new AssertionError("cu serve did not start: " + lines);
  }

  @Test
  void serveAnswersSignedRequestsAndStopsCleanlyOnSigterm() throws Exception {
    Path state = dir.resolve("st");
    Path config = dir.resolve("serve.json");
    Files.writeString(config, "{\"domain\": {\"name\": \"serve command test\"}}");
    Wallet w = Wallet.generate(new SecureRandom());
    for (int round = 1; round <= 2; round++) {
      Served s =
          serve(
              Map.of(), "--state", state.toString(), "--config", config.toString(), "--port", "0");
      try {
        URI base = URI.create("http://127.0.0.1:" + s.port());
        HttpResponse<String> health =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(base.resolve("/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        Client c = new Client(base, w, ServeConfig.read(config).domain().signing());
        assertThat(
                c.compute(w.address(), "_home.n = (_home.n or 0) + 1 return _home.n", null)
                    .get("value"))
            .isEqualTo(round);
      } finally {
        s.process().destroy(); // SIGTERM: the shutdown hook closes the server and its state
      }
      assertThat(s.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void upstreamsNeedTheVaultKeyAndAWrongOneIsAStorageError() throws Exception {
    Path config = dir.resolve("serve.json");
    Files.writeString(
        config,
        "{\"port\": 0, \"upstreams\": {\"paid\": {\"baseUrl\": \"http://127.0.0.1:9\","
            + " \"secret\": \"k\"}}}");
    Path state = dir.resolve("st");
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    String b64 = java.util.Base64.getEncoder().encodeToString(key);
    Cli.Run put =
        Cli.runWithEnv(
            Map.of("CU_VAULT_KEY", b64),
            "v".getBytes(StandardCharsets.UTF_8),
            "vault",
            "--state",
            state.toString(),
            "put",
            "k");
    assertThat(put.exit()).isEqualTo(ExitCode.OK);
    Process none = start(Map.of(), "--state", state.toString(), "--config", config.toString());
    assertThat(none.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(none.exitValue()).isEqualTo(ExitCode.USAGE);
    assertThat(new String(none.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .contains("master key");
    byte[] other = key.clone();
    other[0] ^= 1;
    Process wrong =
        start(
            Map.of("CU_VAULT_KEY", java.util.Base64.getEncoder().encodeToString(other)),
            "--state",
            state.toString(),
            "--config",
            config.toString());
    assertThat(wrong.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(wrong.exitValue()).isEqualTo(ExitCode.STORAGE);
    assertThat(new String(wrong.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .doesNotContain(b64);
  }

  /** Starts {@code cu serve} with {@code args} as a process, its stderr merged into stdout. */
  static Process start(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.add("serve");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("CU_VAULT_KEY");
    pb.environment().putAll(env);
    return pb.start();
  }

  @Test
  void aMissingOrBadConfigurationIsAUsageError() throws Exception {
    Cli.Run r =
        Cli.run(
            "serve", "--state", dir.toString(), "--config", dir.resolve("none.json").toString());
    assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).contains("no such file");
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"limits\": {\"timeMS\": 5}}");
    r = Cli.run("serve", "--state", dir.toString(), "--config", bad.toString());
    assertThat(r.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(r.err()).contains("unknown field 'timeMS'");
  }
}
