package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cu.store.CuLockTimeoutException;
import dev.cu.store.CuStateException;
import dev.cu.store.CuStoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Units with LMDB storage: restart (close, a new unit on the same folder) keeps data and
 * functions, conformance cases H5, H6, H11, H18–H21; named states; durable by default and the
 * explicit-save mode; the namespace held by one unit at a time; construction that fails.
 */
class StorageTest {
  @TempDir Path dir;

  private ComputeUnit open() {
    return ComputeUnit.builder().storage(dir).build();
  }

  /** The explicit-save mode: changes wait for saveState. */
  private ComputeUnit explicit() {
    return ComputeUnit.builder().storage(dir).autoCommit(false).build();
  }

  @Test
  void restartKeepsDataAndFunctions() {
    try (ComputeUnit cu = open()) {
      cu.compute("_home.multiply = function(x, y) return x * y end"); // H5
      cu.compute("_home.user = {name = 'Alice', age = 30, address = {city = 'New York'}}"); // H6
      cu.compute("local t = {name = 'loop'}; t.self = t; _home.c = t"); // H11
      cu.compute("local count = 0; function _home.counter() count = count + 1; return count end");
      assertThat(cu.compute("return _home.counter()")).isEqualTo(1L); // H18
      assertThat(cu.compute("return _home.counter()")).isEqualTo(2L);
      cu.compute(
          "local n = 0; _home.inc = function() n = n + 1 return n end; "
              + "_home.get = function() return n end; _home.inc(); _home.inc()"); // H19
      cu.compute("_home.obj = {f = function(x) return x * 2 end}"); // H20
      cu.compute("_home.p = string.format; _home.m = math.max"); // H21
      cu.saveState();
    }
    try (ComputeUnit cu = open()) {
      assertThat(cu.compute("return _home.multiply(6, 7)")).isEqualTo(42L);
      assertThat(cu.compute("return _home.user.address.city")).isEqualTo("New York");
      assertThat(cu.compute("return _home.c.self.self.name")).isEqualTo("loop");
      assertThat(cu.compute("return _home.counter()")).isEqualTo(3L);
      assertThat(cu.compute("_home.inc(); return _home.get()")).isEqualTo(3L);
      assertThat(cu.compute("return _home.obj.f(21)")).isEqualTo(42L);
      assertThat(cu.compute("return _home.p('%d', _home.m(3, 9))")).isEqualTo("9");
    }
  }

  @Test
  void storageUnitKeepsHomeChangesAfterCloseByDefault() {
    try (ComputeUnit cu = open()) {
      cu.compute("_home.auto = 3");
      cu.compute("_home.t = {deep = {x = 'kept'}}");
      assertThatThrownBy(() -> cu.compute("_home.lost = 1 error('no')"))
          .isInstanceOf(LuaRuntimeException.class);
    }
    try (ComputeUnit cu = open()) {
      assertThat(cu.compute("return _home.auto")).isEqualTo(3L);
      assertThat(cu.compute("return _home.t.deep.x")).isEqualTo("kept");
      assertThat(cu.compute("return _home.lost")).isNull(); // a failed call changes nothing
    }
  }

  @Test
  void explicitSaveModeKeepsOnlySavedChanges() {
    try (ComputeUnit cu = explicit()) {
      cu.compute("_home.saved = 1");
      cu.saveState();
      cu.compute("_home.unsaved = 2");
    }
    try (ComputeUnit cu = open()) {
      assertThat(cu.compute("return _home.saved")).isEqualTo(1L);
      assertThat(cu.compute("return _home.unsaved")).isNull();
    }
  }

  @Test
  void aSecondUnitOnTheNamespaceWaitsForTheFirstToClose() throws Exception {
    ComputeUnit first = open();
    first.compute("_home.n = 1");
    long t0 = System.nanoTime();
    assertThatThrownBy(
            () -> ComputeUnit.builder().storage(dir).lockTimeout(Duration.ofMillis(200)).build())
        .isInstanceOf(CuLockTimeoutException.class)
        .hasMessageContaining("namespace default")
        .hasMessageContaining("already open in this process (pid " + ProcessHandle.current().pid());
    assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(200_000_000L);
    Thread closer =
        new Thread(
            () -> {
              try {
                Thread.sleep(300);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              first.close();
            });
    closer.start();
    try (ComputeUnit second =
        ComputeUnit.builder().storage(dir).lockTimeout(Duration.ofSeconds(30)).build()) {
      // the second unit started after the first one's last commit: it sees it
      assertThat(second.compute("_home.n = _home.n + 1 return _home.n")).isEqualTo(2L);
    }
    closer.join();
  }

  @Test
  void failedConstructionReleasesTheNamespace() {
    // a host function path through a non-table fails after the storage was opened
    assertThatThrownBy(
            () -> ComputeUnit.builder().storage(dir).function("print.x", args -> 1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("print.x");
    // a memory limit that opens the libraries but cannot bind _home fails after storage opened:
    // find where the libraries open (units without _home), then step up to a working unit
    long lo = 4 << 10;
    while (!opens(ComputeUnit.builder().home(false).memoryLimit(lo + (1 << 10)))) {
      lo += 1 << 10;
    }
    // the whole sweep, not up to the first success: the garbage collector's timing moves the
    // point where a build first succeeds by a few hundred bytes from one build to the next
    int bindFailures = 0;
    for (long limit = lo; limit < lo + (8 << 10); limit += 16) {
      try (ComputeUnit cu =
          ComputeUnit.builder()
              .storage(dir)
              .memoryLimit(limit)
              .lockTimeout(Duration.ZERO)
              .build()) {
        assertThat(cu.compute("return 1")).isEqualTo(1L);
      } catch (LuaMemoryException e) {
        // too small at some step; the next build must still find the namespace free
        bindFailures += e.getMessage().matches(".*bind (_home|Memory).*") ? 1 : 0;
      }
    }
    assertThat(bindFailures).as("builds that failed after opening the storage").isPositive();
    try (ComputeUnit cu = ComputeUnit.builder().storage(dir).lockTimeout(Duration.ZERO).build()) {
      cu.compute("_home.ok = true");
    }
    try (ComputeUnit cu = ComputeUnit.builder().storage(dir).lockTimeout(Duration.ZERO).build()) {
      assertThat(cu.compute("return _home.ok")).isEqualTo(true);
    }
  }

  private static boolean opens(ComputeUnit.Builder b) {
    try (ComputeUnit cu = b.build()) {
      return true;
    } catch (LuaMemoryException e) {
      return false;
    }
  }

  @Test
  void functionsStoredWithOneKeyFailToLoadWithAnother() throws Exception {
    byte[] a = new byte[32];
    byte[] b = new byte[32];
    b[0] = 1;
    try (ComputeUnit cu = ComputeUnit.builder().storage(dir).hmacKey(a).build()) {
      cu.compute("_home.lib = {f = function(x) return x + 1 end} _home.v = 7");
    }
    assertThat(dir.resolve("hmac.key")).doesNotExist(); // the key lives elsewhere
    try (ComputeUnit cu = ComputeUnit.builder().storage(dir).hmacKey(b).build()) {
      assertThat(cu.compute("return _home.v")).isEqualTo(7L); // plain rows need no key
      assertThatThrownBy(() -> cu.compute("return _home.lib.f(1)"))
          .isInstanceOf(LuaRuntimeException.class)
          .cause()
          .isInstanceOf(CuStateException.class)
          .hasMessageContaining("HMAC mismatch");
    }
    Path keyFile = dir.getParent().resolve(dir.getFileName() + "-key.hex");
    StringBuilder hex = new StringBuilder();
    for (byte x : a) {
      hex.append(String.format("%02x", x));
    }
    Files.writeString(keyFile, hex + "\n");
    try (ComputeUnit cu = ComputeUnit.builder().storage(dir).hmacKeyFile(keyFile).build()) {
      assertThat(cu.compute("return _home.lib.f(1)")).isEqualTo(2L);
    } finally {
      Files.delete(keyFile);
    }
  }

  @Test
  void aFolderOpenInThisJvmRefusesAnotherKeySetting() {
    try (ComputeUnit cu = ComputeUnit.builder().storage(dir).namespace("a").build()) {
      assertThatThrownBy(
              () -> ComputeUnit.builder().storage(dir).namespace("b").hmacKey(new byte[32]).build())
          .isInstanceOf(CuStoreException.class)
          .hasMessageContaining("another HMAC key");
    }
  }

  @Test
  void namedStatesSaveLoadListDelete() {
    try (ComputeUnit cu = open()) {
      cu.compute("_home.v = 'first'");
      cu.saveState("one");
      cu.compute("_home.v = 'second'");
      cu.saveState("two");
      assertThat(cu.listStates()).containsExactlyInAnyOrder("one", "two");
      cu.compute("g = _home"); // a proxy held across the swap becomes stale
      cu.loadState("one");
      assertThat(cu.compute("return _home.v")).isEqualTo("first");
      assertThatThrownBy(() -> cu.compute("return g.v"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("stale");
      assertThat(cu.deleteState("two")).isTrue();
      assertThat(cu.deleteState("two")).isFalse();
      assertThat(cu.listStates()).containsExactly("one");
      assertThatThrownBy(() -> cu.loadState("nope")).isInstanceOf(CuStoreException.class);
      assertThatThrownBy(() -> cu.saveState("bad name!"))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(cu.compute("return 1")).isEqualTo(1L);
    }
  }

  /** saveState reclaims an unreachable table; a Lua variable attaching it again rewrites it. */
  @Test
  void tableReclaimedBySaveAndReattachedKeepsItsContent() {
    try (ComputeUnit cu = open()) {
      cu.compute("_home.t = {y = 1, inner = {z = 2}}");
      cu.saveState();
      cu.compute("g = _home.t");
      cu.compute("_home.t = nil");
      cu.saveState();
      cu.compute("_home.u = g");
      cu.saveState();
    }
    try (ComputeUnit cu = open()) {
      assertThat(cu.compute("return _home.u.y * 10 + _home.u.inner.z")).isEqualTo(12L);
    }
  }

  /** Before any save: a cycle swept from memory and attached again by a Lua variable is kept. */
  @Test
  void cycleSweptBeforeSaveAndAttachedAgainKeepsItsContent() {
    try (ComputeUnit cu = explicit()) {
      // y gets the lower id: the sweep removes it first, then x's row takes y's count below 0
      cu.compute("local x = {v = 2}; local y = {x = x, w = 1}; x.y = y; _home.a = y");
      cu.compute("g = _home.a; _home.a = nil");
      cu.compute("g.x.y = nil; _home.b = g");
      assertThat(cu.compute("return _home.b.w + _home.b.x.v")).isEqualTo(3L);
      cu.saveState();
    }
    try (ComputeUnit cu = open()) {
      assertThat(cu.compute("return _home.b.w + _home.b.x.v")).isEqualTo(3L);
    }
  }

  @Test
  void loadStateDropsChangesNotSaved() {
    try (ComputeUnit cu = explicit()) {
      cu.compute("_home.x = 1");
      cu.saveState();
      cu.compute("_home.x = 2");
      cu.loadState();
      assertThat(cu.compute("return _home.x")).isEqualTo(1L);
    }
  }

  @Test
  void autoRestoreFalseStartsEmpty() {
    try (ComputeUnit cu = open()) {
      cu.compute("_home.x = 1");
      cu.saveState();
    }
    try (ComputeUnit cu = ComputeUnit.builder().storage(dir).autoRestore(false).build()) {
      assertThat(cu.compute("return _home.x")).isNull();
    }
  }

  @Test
  void unitsShareAFolderWithTheirOwnNamespaces() {
    try (ComputeUnit a = ComputeUnit.builder().storage(dir).namespace("a").build();
        ComputeUnit b = ComputeUnit.builder().storage(dir).namespace("b").build()) {
      a.compute("_home.who = 'a'");
      b.compute("_home.who = 'b'");
      assertThat(a.compute("return _home.who")).isEqualTo("a");
      assertThat(b.compute("return _home.who")).isEqualTo("b");
    }
  }

  @Test
  void stateOperationsNeedStorage() {
    try (ComputeUnit cu = ComputeUnit.create()) {
      assertThatThrownBy(cu::saveState)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("storage");
    }
  }

  /** 100,000 entries with nested tables and 1,000 closures come back identical. */
  @Test
  void largeStateRoundTrips() {
    String digest =
        "local h, n = 0, 0 "
            + "for i, r in ipairs(_home.data) do "
            + "h = (h * 31 + r.id + #r.name + r.nested.k) % 1000000007 n = n + 1 end "
            + "return h .. ':' .. n";
    String callAll = "local s = 0 for _, f in ipairs(_home.fns) do s = s + f() end return s";
    Object before;
    Object sum;
    try (ComputeUnit cu = ComputeUnit.builder().storage(dir).memoryLimit(0).build()) {
      cu.compute(
          "local d = {} for i = 1, 100000 do "
              + "d[i] = {id = i, name = 'n' .. i, nested = {k = i % 7}} end _home.data = d");
      cu.compute(
          "local fns = {} for i = 1, 1000 do local c = i "
              + "fns[i] = function() c = c + 1 return c end end _home.fns = fns");
      before = cu.compute(digest);
      sum = cu.compute(callAll); // each closure's counter moves from i to i + 1
      cu.saveState();
    }
    assertThat(before).isEqualTo(expectedDigest());
    try (ComputeUnit cu = ComputeUnit.builder().storage(dir).memoryLimit(0).build()) {
      assertThat(cu.compute(digest)).isEqualTo(before);
      assertThat(cu.compute(callAll)).isEqualTo((Long) sum + 1000);
    }
  }

  private static String expectedDigest() {
    long h = 0;
    for (long i = 1; i <= 100_000; i++) {
      h = (h * 31 + i + ("n" + i).length() + i % 7) % 1_000_000_007L;
    }
    return h + ":100000";
  }
}
