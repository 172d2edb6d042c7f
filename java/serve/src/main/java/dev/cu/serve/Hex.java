package dev.cu.serve;

import java.util.HexFormat;

/** Hexadecimal text of bytes, with or without Ethereum's {@code 0x} prefix. */
public final class Hex {
  private static final HexFormat HEX = HexFormat.of();

  private Hex() {}

  /** {@code 0x} and two lower-case digits per byte. */
  public static String prefixed(byte[] b) {
    return "0x" + HEX.formatHex(b);
  }

  /**
   * The bytes of {@code text}, two digits each, with or without {@code 0x}.
   *
   * @throws IllegalArgumentException when it is not an even number of hexadecimal digits; the
   *     message never repeats the text, which may be a key
   */
  public static byte[] bytes(String text) {
    String t = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
    if (t.length() % 2 != 0) {
      throw new IllegalArgumentException("an odd number of hex digits");
    }
    try {
      return HEX.parseHex(t);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not hex text");
    }
  }
}
