package dev.cu.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An upstream as the service's JSON configuration gives it: read, defaulted and checked. */
class UpstreamTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Upstream upstream(String baseUrl, String header, String format) {
    return new Upstream(baseUrl, "openai-key", header, format, 0, 0, 0);
  }

  @Test
  void theConfigurationIsReadWithTheNameAsTheMapKey() throws Exception {
    Map<String, Upstream> ups =
        JSON.readValue(
            """
            {"openai": {"baseUrl": "https://api.example.com/v1/", "secret": "vault-secret-name",
              "header": "X-Api-Key", "format": "Key {secret}", "timeoutMs": 5000,
              "maxResponseBytes": 2048, "quotaPerMinute": 6}}
            """,
            new TypeReference<Map<String, Upstream>>() {});
    assertThat(ups.get("openai"))
        .isEqualTo(
            new Upstream(
                "https://api.example.com/v1",
                "vault-secret-name",
                "X-Api-Key",
                "Key {secret}",
                5000,
                2048,
                6));
  }

  @Test
  void absentFieldsTakeTheirDefaults() throws Exception {
    Upstream u =
        JSON.readValue(
            "{\"baseUrl\": \"http://localhost:8080\", \"secret\": \"k\"}", Upstream.class);
    assertThat(u.header()).isEqualTo("Authorization");
    assertThat(u.format()).isEqualTo("Bearer {secret}");
    assertThat(u.timeoutMs()).isEqualTo(30_000);
    assertThat(u.maxResponseBytes()).isEqualTo(1 << 20);
    assertThat(u.quotaPerMinute()).isEqualTo(60);
    assertThat(u.baseUri().getPort()).isEqualTo(8080);
  }

  @Test
  void badBaseUrlsAreRefusedWithoutRepeatingThem() {
    String key = "sk-live-123456";
    for (String bad :
        new String[] {
          "ftp://api.example.com",
          "https://user:" + key + "@api.example.com",
          "https://api.example.com/v1?key=" + key,
          "https://api.example.com/v1#" + key,
          "https:///" + key,
          "api.example.com/" + key,
          "https://api.example.com/a//" + key,
          "https://api.example.com/../" + key,
          "https://api example.com/" + key,
        }) {
      assertThatThrownBy(() -> upstream(bad, null, null))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("an upstream")
          .hasMessageNotContaining(key);
    }
    assertThatThrownBy(() -> upstream(null, null, null)).hasMessageContaining("needs a baseUrl");
  }

  @Test
  void headerFormatSecretAndNumbersAreChecked() {
    String url = "https://api.example.com";
    assertThatThrownBy(() -> upstream(url, "Bad Header", null))
        .hasMessageContaining("header must be an HTTP header name");
    assertThatThrownBy(() -> upstream(url, "host", null))
        .hasMessageContaining("header cannot be host");
    assertThatThrownBy(() -> upstream(url, null, "Bearer sk-live-pasted-here"))
        .hasMessageContaining("must contain {secret}")
        .hasMessageNotContaining("sk-live");
    assertThatThrownBy(() -> upstream(url, null, "Bearer {secret}\r\nX: y"))
        .hasMessageContaining("control characters");
    assertThatThrownBy(() -> new Upstream(url, " ", null, null, 0, 0, 0))
        .hasMessageContaining("vault secret");
    assertThatThrownBy(() -> new Upstream(url, "k", null, null, -1, 0, 0))
        .hasMessageContaining("timeoutMs must be positive");
    assertThatThrownBy(() -> new Upstream(url, "k", null, null, 0, -1, 0))
        .hasMessageContaining("maxResponseBytes must be positive");
    assertThatThrownBy(() -> new Upstream(url, "k", null, null, 0, 2L << 30, 0))
        .hasMessageContaining("at most 1 GiB");
    assertThatThrownBy(() -> new Upstream(url, "k", null, null, 0, 0, -5))
        .hasMessageContaining("quotaPerMinute must be positive");
  }

  @Test
  void aBadUpstreamInTheJsonFailsTheWholeConfiguration() {
    assertThatThrownBy(
            () ->
                JSON.readValue("{\"baseUrl\": \"gopher://x\", \"secret\": \"k\"}", Upstream.class))
        .isInstanceOf(JsonMappingException.class)
        .hasRootCauseInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theSecretHeaderMatchesInAnyCase() {
    Upstream u = upstream("https://api.example.com", "X-Api-Key", "{secret}");
    assertThat(u.isSecretHeader("x-api-KEY")).isTrue();
    assertThat(u.isSecretHeader("X-Api-Keys")).isFalse();
  }
}
