package dev.cu.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.cu.bench.report.Results;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs the lua-cjson anchor briefly where Debian's lua5.4 and lua-cjson are installed. */
class CjsonAnchorTest {
  private static final Path LUA = Path.of("/usr/bin/lua5.4");

  @Test
  void timesBothDocumentOperationsAndPairsThemWithCu(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(LUA) && CjsonAnchor.describe(LUA) != null, "lua5.4 + cjson");
    NativeLuaAnchor.Settings quick =
        new NativeLuaAnchor.Settings(
            1, 1, TimeValue.milliseconds(20), 2, TimeValue.milliseconds(50), TimeUnit.MICROSECONDS);
    ArrayNode entries = CjsonAnchor.measure(LUA, quick);
    Path f = dir.resolve("cjson.json");
    new ObjectMapper().writeValue(f.toFile(), entries);
    var results = Results.load(List.of(f));
    assertThat(results.all())
        .allSatisfy(
            r -> {
              assertThat(r.vm()).startsWith("Lua 5.4").contains("with lua-cjson");
              // a 10 KB document takes microseconds, not nanoseconds or seconds
              assertThat(r.nanosPerOp()).isBetween(1e3, 1e7);
            })
        .extracting(r -> r.key())
        .containsExactly("JsonBenchmark.lua_encodeDoc10k", "JsonBenchmark.lua_decodeDoc10k");
  }

  @Test
  void anInterpreterWithoutCjsonIsRefused() throws Exception {
    Path lua = Path.of("../native/target/linux-x86_64/lua");
    assumeTrue(Files.isExecutable(lua), "the project's lua");
    assertThat(CjsonAnchor.describe(lua)).isNull();
  }
}
