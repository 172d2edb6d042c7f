package dev.cu.serve;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One paid HTTP API that scripts may call through the {@link Relay}, as the service's JSON
 * configuration names it (the map key is the upstream's name, so the name is not a field here):
 *
 * <pre>{@code
 * {"baseUrl": "https://api.example.com/v1", "secret": "vault-secret-name",
 *  "header": "Authorization", "format": "Bearer {secret}", "timeoutMs": 30000,
 *  "maxResponseBytes": 1048576, "quotaPerMinute": 60}
 * }</pre>
 *
 * <p>A number that is absent (or 0) takes its default; {@code header} and {@code format} default
 * to {@code Authorization} and {@code Bearer {secret}}. The messages of the exceptions never
 * repeat the base URL or the format (either could hold a key pasted there by mistake).
 *
 * @param baseUrl where requests go: an {@code http} or {@code https} URL with a host and no
 *     query, fragment or user information; every request's URL is it followed by the script's
 *     path, and trailing slashes are dropped
 * @param secret the name of the vault secret whose value authenticates the requests (the value
 *     itself never appears in the configuration)
 * @param header the request header that carries the secret; scripts may not set it
 * @param format the value of that header, in which {@code {secret}} stands for the secret's value
 *     (UTF-8)
 * @param timeoutMs how long one call may wait for the upstream, in milliseconds (default 30,000);
 *     a request's deadline shortens it
 * @param maxResponseBytes the largest response body read, in bytes (default 1 MiB, at most 1
 *     GiB); a stream counts all its chunks
 * @param quotaPerMinute calls per minute one wallet may make to this upstream (default 60), which
 *     may come in one burst
 */
public record Upstream(
    String baseUrl,
    String secret,
    String header,
    String format,
    long timeoutMs,
    long maxResponseBytes,
    int quotaPerMinute) {

  /** The default of {@link #timeoutMs}: 30 s. */
  public static final long DEFAULT_TIMEOUT_MS = 30_000;

  /** The default of {@link #maxResponseBytes}: 1 MiB. */
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 1 << 20;

  /** The largest {@link #maxResponseBytes}: 1 GiB (a body is held in memory). */
  public static final long MAX_RESPONSE_BYTES = 1 << 30;

  /** The default of {@link #quotaPerMinute}. */
  public static final int DEFAULT_QUOTA_PER_MINUTE = 60;

  /** The default of {@link #header}. */
  public static final String DEFAULT_HEADER = "Authorization";

  /** The default of {@link #format}. */
  public static final String DEFAULT_FORMAT = "Bearer {secret}";

  /** What {@link #format} replaces with the secret's value. */
  public static final String PLACEHOLDER = "{secret}";

  /** An HTTP token (RFC 9110): a header name. */
  static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  /**
   * Checks the fields and fills in the defaults.
   *
   * @throws IllegalArgumentException when the base URL is missing, not http or https, has no
   *     host, or has a query, fragment or user information; when the secret name is missing;
   *     when the header is not a token or is one the connection sets ({@code Host}, ...); when
   *     the format lacks {@code {secret}} or holds a control character; or when a number is
   *     negative (or the response limit above 1 GiB)
   */
  public Upstream {
    baseUrl = checkBaseUrl(baseUrl);
    if (secret == null || secret.isBlank()) {
      throw new IllegalArgumentException("an upstream needs the name of its vault secret");
    }
    header = header == null ? DEFAULT_HEADER : header;
    if (!TOKEN.matcher(header).matches()) {
      throw new IllegalArgumentException("an upstream's header must be an HTTP header name");
    }
    if (RelayCall.RESTRICTED.contains(header.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          "an upstream's header cannot be " + header + ": the HTTP connection sets it");
    }
    format = format == null ? DEFAULT_FORMAT : format;
    if (!format.contains(PLACEHOLDER)) {
      throw new IllegalArgumentException("an upstream's format must contain " + PLACEHOLDER);
    }
    if (format.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
      throw new IllegalArgumentException("an upstream's format must not hold control characters");
    }
    timeoutMs = orDefault(timeoutMs, DEFAULT_TIMEOUT_MS, "timeoutMs");
    maxResponseBytes = orDefault(maxResponseBytes, DEFAULT_MAX_RESPONSE_BYTES, "maxResponseBytes");
    if (maxResponseBytes > MAX_RESPONSE_BYTES) {
      throw new IllegalArgumentException("an upstream's maxResponseBytes must be at most 1 GiB");
    }
    quotaPerMinute = (int) orDefault(quotaPerMinute, DEFAULT_QUOTA_PER_MINUTE, "quotaPerMinute");
  }

  /** The parsed {@link #baseUrl}. */
  public URI baseUri() {
    return URI.create(baseUrl);
  }

  /** Whether {@code name} (any case) is {@link #header}. */
  public boolean isSecretHeader(String name) {
    return header.equalsIgnoreCase(name);
  }

  private static long orDefault(long value, long byDefault, String field) {
    if (value < 0) {
      throw new IllegalArgumentException("an upstream's " + field + " must be positive");
    }
    return value == 0 ? byDefault : value;
  }

  /** The base URL without trailing slashes; the message never repeats it. */
  private static String checkBaseUrl(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("an upstream needs a baseUrl");
    }
    URI u;
    try {
      u = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("an upstream's baseUrl is not a valid URL");
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("an upstream's baseUrl must be an http or https URL");
    }
    if (u.getRawUserInfo() != null
        || u.getRawAuthority() != null && u.getRawAuthority().contains("@")) {
      throw new IllegalArgumentException(
          "an upstream's baseUrl must not hold user information (keys belong in the vault)");
    }
    if (u.getHost() == null || u.getHost().isEmpty()) {
      throw new IllegalArgumentException("an upstream's baseUrl must name a host");
    }
    if (u.getRawQuery() != null || u.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "an upstream's baseUrl must not have a query or a fragment");
    }
    String path = u.getRawPath() == null ? "" : u.getRawPath();
    if (path.contains("//") || path.contains("/../") || path.endsWith("/..")) {
      throw new IllegalArgumentException("an upstream's baseUrl path must be plain");
    }
    String trimmed = url;
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed;
  }
}
