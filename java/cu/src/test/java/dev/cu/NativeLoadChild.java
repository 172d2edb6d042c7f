package dev.cu;

/** Child JVM of {@link NativeCacheJvmTest}: loads libcu (extracting it) and runs a chunk. */
public final class NativeLoadChild {
  private NativeLoadChild() {}

  /** Prints the value of {@code return 6 * 7}. */
  public static void main(String[] args) {
    try (ComputeUnit cu = ComputeUnit.create()) {
      System.out.println("value " + cu.compute("return 6 * 7"));
    }
  }
}
