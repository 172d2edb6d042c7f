package dev.cu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cu state verify [--json]}: exit 0 and "ok" on a sound store, 4 and the damage else. */
class StateVerifyTest {
  @TempDir Path dir;

  private String state() {
    return dir.resolve("state").toString();
  }

  private void populate() {
    assertThat(
            Cli.run(
                    "eval",
                    "--state",
                    state(),
                    "_home.users = {} for i = 1, 50 do _home.users[i] = {name = 'u' .. i} end "
                        + "_home.f = function() return 1 end")
                .exit())
        .isZero();
  }

  @Test
  void aSoundStoreIsOk() throws Exception {
    populate();
    Cli.Run r = Cli.run("state", "--state", state(), "verify");
    assertThat(r.exit()).isEqualTo(ExitCode.OK);
    assertThat(r.out()).startsWith("ok: 1 namespaces, ").endsWith(" pages checked\n");
    Cli.Run j = Cli.run("state", "--state", state(), "verify", "--json");
    assertThat(j.exit()).isEqualTo(ExitCode.OK);
    JsonNode n = new ObjectMapper().readTree(j.out());
    assertThat(n.get("ok").asBoolean()).isTrue();
    assertThat(n.get("rows").asLong()).isGreaterThan(50);
    assertThat(n.get("damage")).isEmpty();
  }

  @Test
  void aDamagedStoreExitsFourAndSaysWhat() throws Exception {
    populate();
    // meta page 0 claims transaction 1001: odd ids belong on meta page 1
    try (FileChannel ch =
        FileChannel.open(dir.resolve("state").resolve("data.mdb"), StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1001), 144);
    }
    Cli.Run r = Cli.run("state", "--state", state(), "verify");
    assertThat(r.exit()).isEqualTo(ExitCode.STORAGE);
    assertThat(r.out()).startsWith("damaged: damaged LMDB file: meta page 0: transaction id 1001");
    assertThat(r.err()).startsWith("cu: storage: the store in ").contains("is damaged (1 problem)");
    Cli.Run j = Cli.run("state", "--state", state(), "verify", "--json");
    assertThat(j.exit()).isEqualTo(ExitCode.STORAGE);
    JsonNode n = new ObjectMapper().readTree(j.out());
    assertThat(n.get("ok").asBoolean()).isFalse();
    assertThat(n.get("damage").get(0).get("message").asText()).contains("meta page 0");
    // every other command refuses the store instead of crashing or reading an older state
    Cli.Run eval = Cli.run("eval", "--state", state(), "return #_home.users");
    assertThat(eval.exit()).isEqualTo(ExitCode.STORAGE);
    assertThat(eval.err()).startsWith("cu: storage: ").contains("damaged LMDB file");
  }

  @Test
  void aFolderWithoutAStoreIsAStorageError() throws Exception {
    java.nio.file.Files.createDirectory(dir.resolve("state"));
    Cli.Run r = Cli.run("state", "--state", state(), "verify");
    assertThat(r.exit()).isEqualTo(ExitCode.STORAGE);
    assertThat(r.err()).startsWith("cu: storage: no store in ");
  }
}
