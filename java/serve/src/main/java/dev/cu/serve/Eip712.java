package dev.cu.serve;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EIP-712 typed structured data: {@code encodeType}, {@code typeHash}, {@code encodeData}, {@code
 * hashStruct}, the domain separator and the digest a wallet signs, as the specification defines
 * them.
 *
 * <p>Types map a struct's name to its fields in order. Values are Java objects: {@code string} a
 * {@link String}; {@code bytes} and {@code bytes1} to {@code bytes32} a {@code byte[]} or a
 * {@code 0x} hex string; {@code uint8} to {@code uint256} and {@code int8} to {@code int256} a
 * {@link Long}, {@link Integer} or {@link BigInteger}, or a decimal string; {@code bool} a
 * {@link Boolean}; {@code address} a {@code 0x} hex string of 20 bytes or a {@code byte[20]}; a
 * struct a {@link Map} from field names to values; an array {@code T[]} or {@code T[k]} a {@link
 * List}. Every value is checked against its type; a map must hold exactly its struct's fields.
 */
public final class Eip712 {
  /** A struct's field: its name and its type. */
  public record Field(String name, String type) {}

  /** The domain's struct, whose fields are those of the domain present, in this order. */
  public static final String DOMAIN = "EIP712Domain";

  private static final List<Field> DOMAIN_FIELDS =
      List.of(
          new Field("name", "string"),
          new Field("version", "string"),
          new Field("chainId", "uint256"),
          new Field("verifyingContract", "address"),
          new Field("salt", "bytes32"));

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");
  private static final Pattern ARRAY = Pattern.compile("(.+)\\[([0-9]*)\\]");
  private static final Pattern INTEGER = Pattern.compile("(u?)int([0-9]+)");
  private static final Pattern FIXED_BYTES = Pattern.compile("bytes([0-9]+)");

  private final Map<String, List<Field>> types;
  private final Map<String, byte[]> typeHashes = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Typed data of {@code types}, struct name to fields.
   *
   * @throws IllegalArgumentException when a name is not an identifier, a struct has no fields or
   *     two of the same name, or a field's type is neither atomic, nor a struct given here, nor
   *     an array of those
   */
  public Eip712(Map<String, List<Field>> types) {
    this.types = new LinkedHashMap<>();
    types.forEach((name, fields) -> this.types.put(name, List.copyOf(fields)));
    for (Map.Entry<String, List<Field>> e : this.types.entrySet()) {
      checkName(e.getKey(), "struct");
      if (atomic(e.getKey())) {
        throw new IllegalArgumentException("a struct cannot be named " + e.getKey());
      }
      if (e.getValue().isEmpty()) {
        throw new IllegalArgumentException("struct " + e.getKey() + " has no fields");
      }
      Set<String> seen = new TreeSet<>();
      for (Field f : e.getValue()) {
        checkName(f.name(), "field");
        if (!seen.add(f.name())) {
          throw new IllegalArgumentException(e.getKey() + " has two fields named " + f.name());
        }
        checkType(f.type(), e.getKey());
      }
    }
  }

  /**
   * The domain separator: {@code hashStruct} of {@code domain} as an {@code EIP712Domain} made of
   * the fields it holds among {@code name}, {@code version}, {@code chainId}, {@code
   * verifyingContract} and {@code salt}.
   *
   * @throws IllegalArgumentException when it holds another key or a value of the wrong type
   */
  public static byte[] domainSeparator(Map<String, ?> domain) {
    List<Field> fields = new ArrayList<>();
    for (Field f : DOMAIN_FIELDS) {
      if (domain.containsKey(f.name())) {
        fields.add(f);
      }
    }
    if (fields.isEmpty()) {
      throw new IllegalArgumentException("an empty domain");
    }
    return new Eip712(Map.of(DOMAIN, fields)).hashStruct(DOMAIN, domain);
  }

  /** The digest a wallet signs: Keccak-256 of {@code 0x19 0x01}, the separator, the struct hash. */
  public static byte[] digest(byte[] domainSeparator, byte[] structHash) {
    return Keccak.hash(new byte[] {0x19, 0x01}, domainSeparator, structHash);
  }

  /**
   * The digest of {@code message}, a {@code primaryType}, in {@code domain}.
   *
   * @throws IllegalArgumentException as {@link #hashStruct} and {@link #domainSeparator} do
   */
  public byte[] digest(Map<String, ?> domain, String primaryType, Map<String, ?> message) {
    return digest(domainSeparator(domain), hashStruct(primaryType, message));
  }

  /**
   * {@code encodeType}: the struct, then the structs it references (through fields and arrays,
   * at any depth) sorted by name, each as {@code Name(type1 name1,type2 name2)}.
   *
   * @throws IllegalArgumentException when {@code type} is not a struct of these types
   */
  public String encodeType(String type) {
    Set<String> deps = new TreeSet<>();
    collect(struct(type), deps);
    deps.remove(type);
    StringBuilder sb = new StringBuilder();
    append(sb, type);
    for (String d : deps) {
      append(sb, d);
    }
    return sb.toString();
  }

  /** Keccak-256 of {@link #encodeType}. Throws what it throws. */
  public byte[] typeHash(String type) {
    byte[] h = typeHashes.get(type);
    if (h == null) {
      h = Keccak.hash(encodeType(type).getBytes(StandardCharsets.UTF_8));
      typeHashes.put(type, h);
    }
    return h.clone();
  }

  /**
   * {@code hashStruct}: Keccak-256 of {@link #encodeData}. Throws what it throws.
   *
   * @throws IllegalArgumentException when {@code value} does not fit {@code type}
   */
  public byte[] hashStruct(String type, Map<String, ?> value) {
    return Keccak.hash(encodeData(type, value));
  }

  /**
   * {@code encodeData}: the type hash, then each field's value encoded in 32 bytes, in the
   * fields' order.
   *
   * @throws IllegalArgumentException when {@code type} is not a struct of these types, or {@code
   *     value} misses a field, has one the struct does not, or holds a value of the wrong type
   */
  public byte[] encodeData(String type, Map<String, ?> value) {
    List<Field> fields = struct(type);
    for (String key : value.keySet()) {
      if (fields.stream().noneMatch(f -> f.name().equals(key))) {
        throw new IllegalArgumentException(type + " has no field " + key);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(32 * (fields.size() + 1));
    out.writeBytes(typeHash(type));
    for (Field f : fields) {
      if (!value.containsKey(f.name()) || value.get(f.name()) == null) {
        throw new IllegalArgumentException(type + "." + f.name() + " is missing");
      }
      out.writeBytes(encodeValue(f.type(), value.get(f.name()), type + "." + f.name()));
    }
    return out.toByteArray();
  }

  /** One value of {@code type} in 32 bytes; {@code where} names it in messages. */
  private byte[] encodeValue(String type, Object v, String where) {
    Matcher array = ARRAY.matcher(type);
    if (array.matches()) {
      if (!(v instanceof List<?> list)) {
        throw wrong(where, type, v);
      }
      if (!array.group(2).isEmpty() && list.size() != Integer.parseInt(array.group(2))) {
        throw new IllegalArgumentException(
            where + " must hold " + array.group(2) + " elements, not " + list.size());
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream(32 * list.size());
      for (int i = 0; i < list.size(); i++) {
        out.writeBytes(encodeValue(array.group(1), list.get(i), where + "[" + i + "]"));
      }
      return Keccak.hash(out.toByteArray());
    }
    if (types.containsKey(type)) {
      if (!(v instanceof Map<?, ?> m)) {
        throw wrong(where, type, v);
      }
      return hashStruct(type, stringKeys(m, where));
    }
    return Abi.word(type, v, where);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, ?> stringKeys(Map<?, ?> m, String where) {
    for (Object k : m.keySet()) {
      if (!(k instanceof String)) {
        throw new IllegalArgumentException(where + " has a key that is not a string: " + k);
      }
    }
    return (Map<String, ?>) m;
  }

  static IllegalArgumentException wrong(String where, String type, Object v) {
    return new IllegalArgumentException(
        where + " must be a " + type + ", not " + (v == null ? "null" : v.getClass().getName()));
  }

  private List<Field> struct(String type) {
    List<Field> fields = types.get(type);
    if (fields == null) {
      throw new IllegalArgumentException("no struct type " + type);
    }
    return fields;
  }

  private void collect(List<Field> fields, Set<String> deps) {
    for (Field f : fields) {
      String base = base(f.type());
      if (types.containsKey(base) && deps.add(base)) {
        collect(types.get(base), deps);
      }
    }
  }

  private void append(StringBuilder sb, String type) {
    sb.append(type).append('(');
    List<Field> fields = types.get(type);
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(fields.get(i).type()).append(' ').append(fields.get(i).name());
    }
    sb.append(')');
  }

  /** The element type of an array type, at any depth; the type itself otherwise. */
  private static String base(String type) {
    Matcher m = ARRAY.matcher(type);
    return m.matches() ? base(m.group(1)) : type;
  }

  private void checkType(String type, String struct) {
    String base = base(type);
    if (types.containsKey(base) || atomic(base)) {
      return;
    }
    throw new IllegalArgumentException(struct + " has a field of unknown type " + type);
  }

  /** Whether {@code type} is one of EIP-712's atomic or dynamic non-struct types. */
  static boolean atomic(String type) {
    switch (type) {
      case "string", "bytes", "bool", "address":
        return true;
      default:
        break;
    }
    Matcher i = INTEGER.matcher(type);
    if (i.matches()) {
      int bits = Integer.parseInt(i.group(2));
      return bits >= 8 && bits <= 256 && bits % 8 == 0 && !i.group(2).startsWith("0");
    }
    Matcher b = FIXED_BYTES.matcher(type);
    if (b.matches()) {
      int n = Integer.parseInt(b.group(1));
      return n >= 1 && n <= 32 && !b.group(1).startsWith("0");
    }
    return false;
  }

  private static void checkName(String name, String what) {
    if (name == null || !IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException("not a " + what + " name: " + name);
    }
  }

  // the integer and bytes patterns, for Abi
  static Matcher integer(String type) {
    return INTEGER.matcher(type);
  }

  static Matcher fixedBytes(String type) {
    return FIXED_BYTES.matcher(type);
  }
}
