package dev.cu;

import dev.cu.codec.Cbor;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

/**
 * Child-JVM main for {@link IoFuzzTest}: feeds {@code setInputCbor} random well-formed-looking
 * CBOR (containers, all scalar kinds, value-sharing tags 28/29 anywhere), some of it truncated
 * or with a byte changed. Prints {@code try <hex>} before each input, so that after a native
 * crash the last such line names the input; prints {@code unexpected ...} and exits 2 when
 * anything but an {@link IllegalArgumentException} is thrown; prints {@code done} at the end.
 * Arguments: seed, number of inputs.
 */
public final class CborFuzzChild {
  private final Random random;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private int shareables;

  private CborFuzzChild(long seed) {
    this.random = new Random(seed);
  }

  private void head(int major, long v) {
    if (v < 24) {
      out.write(major << 5 | (int) v);
    } else if (v < 256) {
      out.write(major << 5 | 24);
      out.write((int) v);
    } else {
      out.write(major << 5 | 27);
      for (int i = 7; i >= 0; i--) {
        out.write((int) (v >>> (8 * i)));
      }
    }
  }

  private void scalar() {
    switch (random.nextInt(7)) {
      case 0 -> head(0, random.nextInt(3) == 0 ? random.nextLong() >>> 1 : random.nextInt(30));
      case 1 -> head(1, random.nextInt(300));
      case 2 -> {
        int n = random.nextInt(5);
        head(3, n);
        for (int i = 0; i < n; i++) {
          out.write('a' + random.nextInt(3));
        }
      }
      case 3 -> {
        head(2, 2);
        out.write(random.nextInt(256));
        out.write(random.nextInt(256));
      }
      case 4 -> out.writeBytes(new byte[] {(byte) Cbor.FLOAT16, 0x3c, 0x00}); // 1.0
      case 5 -> {
        Cbor.Writer w = new Cbor.Writer();
        w.float64(1.5);
        out.writeBytes(w.toByteArray());
      }
      default -> out.write(Cbor.FALSE + random.nextInt(4)); // false, true, null, undefined
    }
  }

  private void item(int depth) {
    int kind = random.nextInt(depth >= 4 ? 2 : 6);
    switch (kind) {
      case 0, 1 -> scalar();
      case 2 -> {
        int n = random.nextInt(4);
        head(4, n);
        for (int i = 0; i < n; i++) {
          item(depth + 1);
        }
      }
      case 3 -> {
        int n = random.nextInt(4);
        head(5, n);
        for (int i = 0; i < n; i++) {
          if (random.nextInt(4) == 0) {
            item(depth + 1); // a table (or anything) as key
          } else {
            scalar();
          }
          item(depth + 1);
        }
      }
      case 4 -> {
        head(Cbor.MAJOR_TAG, Cbor.TAG_SHAREABLE);
        shareables++;
        item(depth + 1); // usually an array or map; anything else must be refused
      }
      default -> {
        head(Cbor.MAJOR_TAG, Cbor.TAG_SHAREDREF);
        head(0, random.nextInt(shareables + 1));
      }
    }
  }

  private byte[] next() {
    out.reset();
    shareables = 0;
    item(0);
    byte[] b = out.toByteArray();
    switch (random.nextInt(6)) {
      case 0 -> b = Arrays.copyOf(b, random.nextInt(b.length));
      case 1 -> b[random.nextInt(b.length)] = (byte) random.nextInt(256);
      default -> {}
    }
    return b;
  }

  public static void main(String[] args) {
    CborFuzzChild gen = new CborFuzzChild(Long.parseLong(args[0]));
    int count = Integer.parseInt(args[1]);
    HexFormat hex = HexFormat.of();
    try (ComputeUnit cu = ComputeUnit.create()) {
      for (int i = 0; i < count; i++) {
        byte[] input = gen.next();
        System.out.println("try " + hex.formatHex(input));
        System.out.flush();
        try {
          try {
            cu.setInputCbor(input);
            cu.compute("_io.output = _io.input");
            try {
              cu.getOutput();
            } catch (LuaRuntimeException e) {
              if (!e.getMessage().contains("cycle")) {
                throw e;
              }
            }
          } catch (IllegalArgumentException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
              throw e;
            }
          }
          if (!Long.valueOf(1L).equals(cu.compute("return 1"))) {
            throw new AssertionError("the unit no longer computes");
          }
        } catch (Throwable t) {
          System.out.println("unexpected " + t);
          System.exit(2);
        }
      }
    }
    System.out.println("done");
  }
}
