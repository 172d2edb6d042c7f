package dev.cu.store;

import java.nio.file.Path;

/**
 * Child JVM main: opens the store in {@code args[0]}, commits one row, and prints the LMDB
 * library lmdbjava was told to load ({@code lmdbjava.native.lib}).
 */
public final class OpenStoreChild {
  private OpenStoreChild() {}

  public static void main(String[] args) {
    try (LmdbEnvironment env = LmdbEnvironment.open(Path.of(args[0]), LmdbOptions.defaults());
        LmdbTableStore s = env.store("default")) {
      long home = s.root("home");
      s.commit(
          new LmdbTestSupport.DeltaBuilder().set(home, "x", LmdbTestSupport.integer(1)).build(),
          s.nextId());
      System.out.println("rows " + LmdbTestSupport.rows(s, home).size());
    }
    System.out.println("lib " + System.getProperty("lmdbjava.native.lib"));
  }
}
