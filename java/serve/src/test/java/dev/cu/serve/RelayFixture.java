package dev.cu.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cu.ComputeUnit;
import dev.cu.LuaRuntimeException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fake paid API, a vault holding its key, a relay of it and a unit with the relay. */
abstract class RelayFixture {
  static final String SECRET = "sk-live-0123456789abcdef";
  static final String WALLET = "0x00000000000000000000000000000000000000aa";

  @TempDir Path dir;
  FakeUpstream api;
  Relay relay;
  ComputeUnit unit;
  final AtomicLong clock = new AtomicLong(1_000_000_000L);

  @BeforeEach
  void start() throws Exception {
    api = new FakeUpstream();
    Vault vault = Vault.open(dir, MasterKey.generate(new SecureRandom()));
    vault.put("api-key", SECRET.getBytes(StandardCharsets.UTF_8));
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Map<String, Upstream> ups =
        Map.of(
            "api", new Upstream(api.baseUrl(), "api-key", null, null, 2000, 8192, 1000),
            "tight", new Upstream(api.baseUrl(), "api-key", null, null, 800, 1024, 1000),
            "quota", new Upstream(api.baseUrl(), "api-key", null, null, 0, 0, 2),
            "gone", new Upstream("http://127.0.0.1:" + closedPort, "api-key", null, null, 0, 0, 0),
            "keyless", new Upstream(api.baseUrl(), "missing", null, null, 0, 0, 0));
    relay = new Relay(ups, vault::get, java.net.http.HttpClient.newBuilder().build(), clock::get);
    ComputeUnit.Builder b = ComputeUnit.builder();
    relay.install(b);
    unit = b.build();
  }

  @AfterEach
  void stop() {
    unit.close();
    relay.close();
    api.close();
  }

  /** Runs {@code lua} as a request of {@link #WALLET} with 10 s left. */
  Object run(String lua) {
    return relay.as(WALLET, Instant.now().plusSeconds(10), () -> unit.compute(lua));
  }

  /** Runs {@code lua}, which must fail with a relay error; checks it hides the secret. */
  RelayException failure(String lua) {
    LuaRuntimeException e = catchThrowableOfType(LuaRuntimeException.class, () -> run(lua));
    assertThat(e).as(lua).isNotNull();
    assertThat(e.getCause()).isInstanceOf(RelayException.class);
    RelayException r = (RelayException) e.getCause();
    assertThat(e.getMessage()).contains(r.getMessage());
    assertThat(List.of(e.getMessage(), r.getMessage(), r.toString(), String.valueOf(e.value())))
        .noneMatch(s -> s.contains(SECRET));
    return r;
  }

  /** What {@code pcall} gives Lua for {@code call}: false and the message, or "no error". */
  String caught(String call) {
    return (String)
        run(
            "local ok, e = pcall(function() return "
                + call
                + " end)\n"
                + "if ok then return 'no error' end\n"
                + "assert(type(e) == 'string') return e");
  }
}
