package dev.cu.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/serve-openapi.json against the code: its operations are the server's routes, its error
 * kinds are the kinds the sources can answer with, and each operation lists the statuses of the
 * kinds it can give. Adding a route, a kind or a status in the code without documenting it fails.
 */
class OpenApiTest {
  private static final Path DOC = Path.of("../../docs/serve-openapi.json");
  private static final Path SOURCES = Path.of("src/main/java/dev/cu/serve");
  private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");
  private static final Pattern KIND =
      Pattern.compile("new ServeException\\(\\s*[^,]+?,\\s*\"([^\"]+)\"");
  private static final Pattern KIND_STATUS =
      Pattern.compile("new ServeException\\(\\s*(\\d{3})\\s*,\\s*\"([^\"]+)\"");
  private static final Pattern RELAY_STATUS = Pattern.compile("new RelayException\\(\\s*(\\d{3})");
  private static final Pattern ROUTE =
      Pattern.compile("routes\\.(get|post|put|patch|delete)\\(\\s*(UNIT\\s*\\+\\s*)?\"([^\"]+)\"");
  private static final Pattern UNIT = Pattern.compile("String UNIT = \"([^\"]+)\"");

  @TempDir Path state;

  static JsonNode doc() throws IOException {
    return new ObjectMapper().readTree(DOC.toFile());
  }

  /**
   * The server's sources by file name. {@code Client} is left out: the kinds it makes up
   * ({@code protocol}, {@code unknown}) are the client's own, never an answer of the server.
   */
  static Map<String, String> sources() throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(SOURCES)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        if (!f.getFileName().toString().equals("Client.java")) {
          out.put(f.getFileName().toString(), Files.readString(f));
        }
      }
    }
    assertThat(out).containsKeys("Server.java", "Gate.java", "Failures.java", "UnitRequests.java");
    return out;
  }

  static String all() throws IOException {
    return String.join("\n", sources().values());
  }

  /** Every kind a {@code new ServeException(status, "kind", ...)} in the sources gives. */
  static Set<String> kindsInCode() throws IOException {
    Set<String> kinds = new TreeSet<>();
    Matcher m = KIND.matcher(all());
    while (m.find()) {
      kinds.add(m.group(1));
    }
    return kinds;
  }

  /**
   * The statuses each kind is answered with: the literal statuses of its constructions, and for
   * {@code relay} (whose status is the relay failure's own) every status a {@code RelayException}
   * is made with.
   */
  static Map<String, Set<Integer>> statusesInCode() throws IOException {
    String text = all();
    Map<String, Set<Integer>> out = new TreeMap<>();
    Matcher m = KIND_STATUS.matcher(text);
    while (m.find()) {
      out.computeIfAbsent(m.group(2), k -> new TreeSet<>()).add(Integer.parseInt(m.group(1)));
    }
    Matcher r = RELAY_STATUS.matcher(text);
    while (r.find()) {
      out.computeIfAbsent("relay", k -> new TreeSet<>()).add(Integer.parseInt(r.group(1)));
    }
    return out;
  }

  /** {@code METHOD /path} of every route {@code Server} registers. */
  static Set<String> routesInCode() throws IOException {
    String server = sources().get("Server.java");
    Matcher u = UNIT.matcher(server);
    assertThat(u.find()).as("Server.UNIT").isTrue();
    Set<String> out = new TreeSet<>();
    Matcher m = ROUTE.matcher(server);
    while (m.find()) {
      String path = (m.group(2) == null ? "" : u.group(1)) + m.group(3);
      out.add(m.group(1).toUpperCase(Locale.ROOT) + " " + path);
    }
    return out;
  }

  /** {@code METHOD /path} of every documented operation, to the operation. */
  static Map<String, JsonNode> operations(JsonNode doc) {
    Map<String, JsonNode> out = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> p = doc.get("paths").fields(); p.hasNext(); ) {
      Map.Entry<String, JsonNode> path = p.next();
      for (String method : METHODS) {
        JsonNode op = path.getValue().get(method.toLowerCase(Locale.ROOT));
        if (op != null) {
          out.put(method + " " + path.getKey(), op);
        }
      }
    }
    return out;
  }

  static Set<String> documentedKinds(JsonNode doc) {
    JsonNode kind = doc.at("/components/schemas/Error/properties/error/properties/kind/enum");
    assertThat(kind.isArray()).as("the Error schema's kind enum").isTrue();
    Set<String> out = new TreeSet<>();
    kind.forEach(k -> out.add(k.asText()));
    return out;
  }

  @Test
  void theDocumentIsOpenApi31WithTheSigningTypeInItsDescription() throws Exception {
    JsonNode doc = doc();
    assertThat(doc.get("openapi").asText()).startsWith("3.1.");
    assertThat(doc.at("/info/description").asText())
        .contains(
            "Request(string key,string method,string path,bytes32 bodyHash,uint256 nonce,"
                + "uint256 timestamp)")
        .contains("docs/SERVE.md");
    assertThat(Files.readString(DOC)).doesNotContain("\t");
  }

  @Test
  void theOperationsAreExactlyTheRoutesTheServerAnswers() throws Exception {
    JsonNode doc = doc();
    Set<String> documented = operations(doc).keySet();
    assertThat(documented).isEqualTo(routesInCode());

    HttpClient http = HttpClient.newHttpClient();
    try (Server server = Server.start(state, ServeConfig.parse("{\"port\": 0}", "t"), null)) {
      String base = "http://127.0.0.1:" + server.port();
      Set<String> paths = new TreeSet<>();
      doc.get("paths").fieldNames().forEachRemaining(paths::add);
      for (String path : paths) {
        String concrete = path.replace("{key}", "k").replace("{function}", "f");
        for (String method : METHODS) {
          HttpResponse<String> r = send(http, base, method, concrete);
          String op = method + " " + path;
          if (documented.contains(op)) {
            assertThat(notFound(r)).as(op + " answers: " + r.body()).isFalse();
          } else {
            assertThat(notFound(r)).as(op + " is not an endpoint: " + r.body()).isTrue();
          }
        }
      }
      for (String path :
          List.of("/", "/v1", "/v1/units/k", "/v1/units/k/run", "/v1/units/k/call", "/v2/health")) {
        for (String method : List.of("GET", "POST")) {
          HttpResponse<String> r = send(http, base, method, path);
          assertThat(notFound(r)).as(method + " " + path + ": " + r.body()).isTrue();
        }
      }
    }
  }

  @Test
  void theKindsAreExactlyTheKindsOfTheCode() throws Exception {
    Set<String> code = kindsInCode();
    assertThat(code).contains("bad-request", "unauthorized", "not-found", "relay", "internal");
    assertThat(documentedKinds(doc())).isEqualTo(code);
    // every kind has the statuses it is answered with in reach of this test
    assertThat(statusesInCode().keySet()).isEqualTo(code);
  }

  @Test
  void eachOperationListsTheStatusesOfTheKindsItCanGive() throws Exception {
    Map<String, Set<Integer>> byKind = statusesInCode();
    Set<String> unitKinds = new TreeSet<>(byKind.keySet());
    unitKinds.remove("not-found"); // the answer for routes that do not exist
    // state runs no code of the request's: no syntax or Lua error, no relay call
    Set<String> stateKinds = new TreeSet<>(unitKinds);
    stateKinds.removeAll(Set.of("syntax", "runtime", "relay"));
    Map<String, Set<String>> kinds =
        Map.of(
            "POST /v1/units/{key}/compute", unitKinds,
            "POST /v1/units/{key}/call/{function}", unitKinds,
            "GET /v1/units/{key}/state", stateKinds,
            "GET /health", Set.of("internal"),
            "GET /metrics", Set.of("internal"));
    Set<Integer> anyStatus = new TreeSet<>(Set.of(200));
    byKind.values().forEach(anyStatus::addAll);

    Map<String, JsonNode> operations = operations(doc());
    assertThat(operations.keySet()).isEqualTo(kinds.keySet());
    for (Map.Entry<String, JsonNode> e : operations.entrySet()) {
      String op = e.getKey();
      JsonNode responses = e.getValue().get("responses");
      Set<Integer> documented = new TreeSet<>();
      responses.fieldNames().forEachRemaining(s -> documented.add(Integer.parseInt(s)));
      Set<Integer> expected = new TreeSet<>(Set.of(200));
      kinds.get(op).forEach(k -> expected.addAll(byKind.get(k)));
      assertThat(documented).as(op + ": the statuses of its kinds").containsAll(expected);
      assertThat(anyStatus).as(op + ": statuses the code answers with").containsAll(documented);
      for (Integer status : documented) {
        JsonNode r = responses.get(Integer.toString(status));
        assertThat(r.get("description").asText()).as(op + " " + status).isNotBlank();
        if (status != 200) {
          assertThat(r.at("/content/application~1json/schema/$ref").asText())
              .as(op + " " + status)
              .isEqualTo("#/components/schemas/Error");
        }
        if (status == 429 || status == 503) {
          assertThat(r.at("/headers/Retry-After/$ref").asText())
              .as(op + " " + status)
              .isEqualTo("#/components/headers/Retry-After");
        }
      }
    }
  }

  @Test
  void signedOperationsTakeTheFourHeaders() throws Exception {
    JsonNode doc = doc();
    Map<String, String> headers =
        Map.of(
            "Wallet", Gate.WALLET,
            "Signature", Gate.SIGNATURE,
            "Nonce", Gate.NONCE,
            "Timestamp", Gate.TIMESTAMP);
    for (Map.Entry<String, String> h : headers.entrySet()) {
      JsonNode p = doc.get("components").get("parameters").get(h.getKey());
      assertThat(p.get("name").asText()).isEqualTo(h.getValue());
      assertThat(p.get("in").asText()).isEqualTo("header");
      assertThat(p.get("required").asBoolean()).isTrue();
      assertThat(p.at("/schema/pattern").asText()).startsWith("^").endsWith("$");
    }
    for (Map.Entry<String, JsonNode> e : operations(doc).entrySet()) {
      Set<String> refs = new TreeSet<>();
      JsonNode params = e.getValue().get("parameters");
      if (params != null) {
        params.forEach(p -> refs.add(p.path("$ref").asText()));
      }
      Set<String> signed =
          headers.keySet().stream()
              .map(k -> "#/components/parameters/" + k)
              .collect(Collectors.toSet());
      if (e.getKey().contains(" /v1/")) {
        assertThat(refs).as(e.getKey()).containsAll(signed);
      } else {
        assertThat(refs).as(e.getKey()).doesNotContainAnyElementsOf(signed);
      }
    }
  }

  private static HttpResponse<String> send(HttpClient http, String base, String method, String path)
      throws Exception {
    HttpRequest.BodyPublisher body =
        method.equals("GET") || method.equals("DELETE")
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString("{}");
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path)).method(method, body).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static boolean notFound(HttpResponse<String> r) throws IOException {
    if (r.statusCode() != 404) {
      return false;
    }
    JsonNode body = new ObjectMapper().readTree(r.body());
    return "not-found".equals(body.at("/error/kind").asText());
  }
}
