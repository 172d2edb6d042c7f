package dev.cu;

/**
 * Runs hostile scripts in this JVM and prints each one's name and outcome, one per line:
 * {@code name<TAB>outcome}. Meant for a child JVM ({@link ChildJvm}), so a script that crashes
 * the native library cannot take the test JVM with it: new candidates for the hostile suite run
 * here first. Arguments: script names (all when none).
 */
final class HostileScriptChild {
  private HostileScriptChild() {}

  public static void main(String[] args) {
    java.util.Set<String> only = java.util.Set.of(args);
    for (HostileScript s : HostileScript.all()) {
      if (!only.isEmpty() && !only.contains(s.name())) {
        continue;
      }
      System.out.print(s.name() + "\t");
      System.out.flush();
      long t0 = System.nanoTime();
      try (ComputeUnit cu = s.unit()) {
        String out = HostileScript.outcome(cu, s.code()).replace("\n", "\\n");
        String after = HostileScript.outcome(cu, "return 1 + 1");
        System.out.println(
            out + "\t" + after + "\t" + (System.nanoTime() - t0) / 1_000_000 + " ms");
      }
      System.out.flush();
    }
  }
}
