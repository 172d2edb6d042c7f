package dev.cu;

import java.nio.file.Path;

/**
 * Child JVM of {@link ClosureChainDepthTest}: runs one step on a thread with the given stack
 * size and prints what happened, one line per result. {@code store DIR KB N} stores a chain of
 * N + 1 closures in {@code _home.c} of a unit on storage DIR ({@code -} for the in-memory
 * store) and then reads whether {@code _home.c} is still nil; {@code load DIR KB} calls the
 * stored chain in a new unit.
 */
public final class ClosureChainChild {
  private ClosureChainChild() {}

  static String chain(int n) {
    return "local f = function(x) return x end "
        + "for i = 1, "
        + n
        + " do local g = f f = function(x) return g(x) + 1 end end "
        + "_home.c = f return f(0)";
  }

  private static ComputeUnit unit(String dir) {
    ComputeUnit.Builder b = ComputeUnit.builder();
    return dir.equals("-") ? b.build() : b.storage(Path.of(dir)).build();
  }

  private static void step(String[] args) {
    try (ComputeUnit cu = unit(args[1])) {
      if (args[0].equals("store")) {
        try {
          System.out.println("stored " + cu.compute(chain(Integer.parseInt(args[3]))));
        } catch (LuaRuntimeException e) {
          System.out.println("error " + e.getMessage());
        }
        System.out.println("nil " + cu.compute("return _home.c == nil"));
        System.out.println("works " + cu.compute("_home.x = 1 return 1 + 1"));
      } else {
        System.out.println("loaded " + cu.compute("return _home.c(0)"));
      }
    }
  }

  public static void main(String[] args) throws InterruptedException {
    Throwable[] failed = new Throwable[1];
    Thread t = new Thread(null, () -> step(args), "small-stack", Long.parseLong(args[2]) * 1024);
    t.setUncaughtExceptionHandler((th, e) -> failed[0] = e);
    t.start();
    t.join();
    if (failed[0] != null) {
      failed[0].printStackTrace();
      System.exit(1);
    }
  }
}
