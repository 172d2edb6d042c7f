package dev.cu.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One relay call as a script asked for it, checked: the upstream (allowed), the method, the URL
 * (the upstream's base URL followed by a plain path, still under the base URL), the script's
 * headers (none the relay sets or the HTTP client owns) and the body as bytes. Every refusal is a
 * {@link RelayException} with status 403 (upstream) or 400 (the rest).
 *
 * @param name the upstream's name
 * @param upstream the upstream
 * @param method GET, POST, PUT, PATCH or DELETE
 * @param uri the URL the request goes to
 * @param headers the script's headers, name and value pairs
 * @param body the body, or null for none
 */
record RelayCall(
    String name,
    Upstream upstream,
    String method,
    URI uri,
    List<Map.Entry<String, String>> headers,
    byte[] body) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FIELDS = Set.of("upstream", "method", "path", "headers", "body");
  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

  /** Headers the HTTP client or the connection owns (lower case): scripts may not set them. */
  static final Set<String> RESTRICTED =
      Set.of(
          "host",
          "content-length",
          "connection",
          "keep-alive",
          "proxy-connection",
          "proxy-authorization",
          "transfer-encoding",
          "te",
          "trailer",
          "upgrade",
          "expect",
          "http2-settings",
          // an answer the relay cannot read as plain bytes hides the secret from the redactor:
          // compressed (the JDK's client does not inflate), or cut into ranges shorter than it
          "accept-encoding",
          "range",
          "if-range");

  /**
   * Checks the table a script gave {@code relay.request} or {@code relay.stream}.
   *
   * @throws RelayException 403 when the upstream is not among {@code upstreams}, 400 for anything
   *     else wrong
   */
  static RelayCall parse(List<Object> args, Map<String, Upstream> upstreams) {
    if (args.size() != 1 || !(args.get(0) instanceof Map<?, ?> t)) {
      throw bad("relay: expected one table {upstream = ..., path = ..., ...}");
    }
    for (Object key : t.keySet()) {
      if (!(key instanceof String k) || !FIELDS.contains(k)) {
        throw bad(
            key instanceof String k
                ? "relay: unknown field " + quoted(k)
                : "relay: the table's fields must be named");
      }
    }
    String name = text(t.get("upstream"), "upstream");
    Upstream up = upstreams.get(name);
    if (up == null) {
      throw new RelayException(403, "relay: upstream " + quoted(name) + " is not allowed");
    }
    URI uri = uri(up, text(t.get("path"), "path"));
    Object rawBody = t.get("body");
    byte[] body;
    boolean json = false;
    if (rawBody == null) {
      body = null;
    } else if (rawBody instanceof String s) {
      body = s.getBytes(StandardCharsets.UTF_8);
    } else if (rawBody instanceof byte[] b) {
      body = b;
    } else if (rawBody instanceof Map || rawBody instanceof List) {
      try {
        body = JSON.writeValueAsBytes(rawBody);
      } catch (JsonProcessingException e) {
        throw bad("relay: the body table cannot be written as JSON");
      }
      json = true;
    } else {
      throw bad("relay: body must be a string or a table");
    }
    String method = method(t.get("method"), body != null);
    List<Map.Entry<String, String>> headers = headers(t.get("headers"), up);
    if (json && headers.stream().noneMatch(h -> h.getKey().equalsIgnoreCase("content-type"))) {
      headers.add(Map.entry("Content-Type", "application/json"));
    }
    return new RelayCall(name, up, method, uri, List.copyOf(headers), body);
  }

  private static String method(Object raw, boolean hasBody) {
    if (raw == null) {
      return hasBody ? "POST" : "GET";
    }
    String m = text(raw, "method").toUpperCase(Locale.ROOT);
    if (!METHODS.contains(m)) {
      throw bad("relay: method must be GET, POST, PUT, PATCH or DELETE");
    }
    if (m.equals("GET") && hasBody) {
      throw bad("relay: a GET request has no body");
    }
    return m;
  }

  /**
   * The upstream's base URL followed by {@code path}, which must start with {@code /} and hold
   * no {@code .} or {@code ..} segment (also percent-encoded), no {@code //}, no backslash, no
   * {@code #}, no space or control character; the result must still be under the base URL.
   */
  static URI uri(Upstream up, String path) {
    if (!path.startsWith("/")) {
      throw bad("relay: path must start with '/'");
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        throw bad("relay: path must not hold spaces, control or non-ASCII characters");
      }
      if (c == '\\' || c == '#') {
        throw bad("relay: path must not hold '\\' or '#'");
      }
    }
    int q = path.indexOf('?');
    String p = q < 0 ? path : path.substring(0, q);
    if (p.contains("//")) {
      throw bad("relay: path must not hold '//'");
    }
    for (String segment : p.split("/", -1)) {
      String s = segment.toLowerCase(Locale.ROOT).replace("%2e", ".").replace("%3b", ";");
      int semi = s.indexOf(';'); // "..;x" is ".." to servers that drop path parameters
      if (semi >= 0) {
        s = s.substring(0, semi);
      }
      if (s.equals(".") || s.equals("..")) {
        throw bad("relay: path must not hold '.' or '..' segments");
      }
      if (s.contains("%2f") || s.contains("%5c")) {
        throw bad("relay: path must not hold encoded slashes");
      }
    }
    URI base = up.baseUri();
    URI u;
    try {
      u = new URI(up.baseUrl() + path);
    } catch (URISyntaxException e) {
      throw bad("relay: path is not a valid URL path");
    }
    String basePath = base.getRawPath() == null ? "" : base.getRawPath();
    String uPath = u.getRawPath() == null ? "" : u.getRawPath();
    boolean under =
        Objects.equals(u.getScheme(), base.getScheme())
            && Objects.equals(u.getRawAuthority(), base.getRawAuthority())
            && u.getRawUserInfo() == null
            && u.getRawFragment() == null
            && (uPath.equals(basePath) || uPath.startsWith(basePath + "/"));
    if (!under) {
      throw bad("relay: path leaves the upstream's base URL");
    }
    return u;
  }

  private static List<Map.Entry<String, String>> headers(Object raw, Upstream up) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    if (raw == null) {
      return out;
    }
    if (!(raw instanceof Map<?, ?> m)) {
      throw bad("relay: headers must be a table of names and values");
    }
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!(e.getKey() instanceof String name) || !Upstream.TOKEN.matcher(name).matches()) {
        throw bad("relay: header names must be HTTP tokens");
      }
      String lower = name.toLowerCase(Locale.ROOT);
      if (up.isSecretHeader(name)) {
        throw bad("relay: header '" + name + "' is set by the relay");
      }
      if (RESTRICTED.contains(lower)) {
        throw bad("relay: header '" + name + "' may not be set");
      }
      Object v = e.getValue();
      String value;
      if (v instanceof String s) {
        value = s;
      } else if (v instanceof Long || v instanceof Double || v instanceof Boolean) {
        value = String.valueOf(v);
      } else {
        throw bad("relay: header '" + name + "' must be a string or a number");
      }
      if (value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f || c > 0xff)) {
        throw bad("relay: header '" + name + "' holds a character a header cannot hold");
      }
      out.add(Map.entry(name, value));
    }
    return out;
  }

  private static String text(Object v, String field) {
    if (!(v instanceof String s) || s.isEmpty()) {
      throw bad("relay: " + field + " must be a non-empty string");
    }
    return s;
  }

  /** {@code 'name'} when it is a short printable name, else a placeholder. */
  static String quoted(String name) {
    return name.length() <= 64 && name.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '\'')
        ? "'" + name + "'"
        : "(unprintable name)";
  }

  private static RelayException bad(String message) {
    return new RelayException(400, message);
  }
}
