package dev.cu;

import java.util.HexFormat;

/**
 * Child-JVM main for {@link ChildJvm}: sets {@code _io.input} from the CBOR bytes given in hex
 * (args[0]), then prints "values: " and what the Lua chunk args[1] returns, or "refused: " and
 * the exception when the bytes are refused.
 */
public final class CborInputChild {
  private CborInputChild() {}

  public static void main(String[] args) {
    try (ComputeUnit cu = ComputeUnit.create()) {
      try {
        cu.setInputCbor(HexFormat.of().parseHex(args[0].replace(" ", "")));
      } catch (IllegalArgumentException e) {
        System.out.println("refused: " + e.getMessage());
      }
      System.out.println("values: " + cu.execute(args[1]).values());
    }
  }
}
