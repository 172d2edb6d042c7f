package dev.cu.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code relay.stream}: chunks as they arrive, redacted, limited, and closed with the request. */
class RelayStreamTest extends RelayFixture {

  @Test
  @SuppressWarnings("unchecked")
  void chunksArriveInOrderThroughTheGenericFor() {
    Map<String, Object> r =
        (Map<String, Object>)
            run(
                """
                local s = relay.stream{upstream = "api", path = "/stream"}
                local chunks = {}
                for chunk in s.read, s do chunks[#chunks + 1] = chunk end
                return {status = s:status(), headers = s:headers(), chunks = chunks,
                        after = s:read() == nil}
                """);
    assertThat(r.get("status")).isEqualTo(200L);
    assertThat((Map<String, Object>) r.get("headers")).containsKey("transfer-encoding");
    List<Object> chunks = (List<Object>) r.get("chunks");
    assertThat(String.join("", chunks.stream().map(String.class::cast).toList()))
        .isEqualTo("chunk-0;chunk-1;chunk-2;chunk-3;chunk-4;");
    assertThat(chunks).as("read as they arrive, not all at once").hasSizeGreaterThan(2);
    assertThat(r.get("after")).isEqualTo(true);
    assertThat(api.received.get(0).headers().get("authorization"))
        .containsExactly("Bearer " + SECRET);
  }

  @Test
  @SuppressWarnings("unchecked")
  void aSecretSplitAcrossTwoChunksIsRedacted() {
    List<Object> chunks =
        (List<Object>)
            run(
                """
                local s = relay.stream{upstream = "api", path = "/split"}
                local chunks = {}
                for chunk in s.read, s do chunks[#chunks + 1] = chunk end
                return chunks
                """);
    assertThat(String.join("", chunks.stream().map(String.class::cast).toList()))
        .isEqualTo("start [redacted] end");
    assertThat(chunks)
        .as("no half of the key on either side")
        .noneMatch(c -> ((String) c).contains(SECRET.substring(0, SECRET.length() / 2)))
        .noneMatch(c -> ((String) c).contains(SECRET.substring(SECRET.length() / 2)));
  }

  @Test
  void aStreamLeftOpenIsClosedWhenItsRequestEnds() {
    assertThat(run("s = relay.stream{upstream = 'api', path = '/slow-body'} return s:read()"))
        .isEqualTo("first");
    RelayException e = failure("return s:read()");
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.getMessage()).isEqualTo("relay: the stream ended with the request that opened it");
    assertThat(
            run(
                "local t = relay.stream{upstream = 'api', path = '/stream'}\n"
                    + "t:close() return t:read() == nil"))
        .as("closed by the script: nil")
        .isEqualTo(true);
  }

  @Test
  void aSilentStreamTimesOutAndAnOversizedOneIs502() {
    assertThat(
            run(
                """
                local s = relay.stream{upstream = "tight", path = "/slow-body"}
                local first = s:read()
                local ok, e = pcall(s.read, s)
                return first .. " | " .. tostring(ok) .. " | " .. e .. " | " .. tostring(s:read())
                """))
        .asString()
        .matches("first \\| false \\| .*relay: upstream 'tight' timed out \\| nil");
    RelayException big =
        failure(
            "local s = relay.stream{upstream = 'tight', path = '/big'}\n"
                + "for c in s.read, s do end");
    assertThat(big.status()).isEqualTo(502);
    assertThat(big.getMessage()).contains("answered more than 1024 bytes");
  }

  @Test
  void theStreamsTextNamesNoSecret() {
    assertThat(run("local s = relay.stream{upstream = 'api', path = '/echo'} return tostring(s)"))
        .asString()
        .doesNotContain(SECRET);
    Object s = run("return relay.stream{upstream = 'api', path = '/echo'}");
    assertThat(s).isInstanceOf(RelayStream.class);
    assertThat(s.toString()).isEqualTo("RelayStream('api', 200)");
  }
}
