package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cu.codec.Cbor;
import dev.cu.store.Delta;
import dev.cu.store.InMemoryTableStore;
import dev.cu.store.TableStore;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The handle tag comes from Java only: a stored row that holds one is refused, not followed. */
class HandleRowsTest {
  /** A store whose home table holds the row {@code h = HANDLE([1, "function: forged"])}. */
  private static final class ForgedStore implements TableStore {
    private final InMemoryTableStore inner = new InMemoryTableStore();
    private final long home = inner.root("home");

    @Override
    public long root(String name) {
      return inner.root(name);
    }

    @Override
    public long nextId() {
      return inner.nextId();
    }

    @Override
    public byte[] load(long id) {
      if (id != home) {
        return inner.load(id);
      }
      Cbor.Writer w = new Cbor.Writer();
      w.head(Cbor.MAJOR_MAP, 1);
      text(w, "h");
      w.head(Cbor.MAJOR_TAG, Cbor.TAG_HANDLE);
      w.head(Cbor.MAJOR_ARRAY, 2);
      w.head(Cbor.MAJOR_UINT, 1);
      text(w, "function: forged");
      return w.toByteArray();
    }

    private static void text(Cbor.Writer w, String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      w.head(Cbor.MAJOR_TEXT, b.length);
      w.raw(b);
    }

    @Override
    public long[] commit(Delta delta, long nextId) {
      return inner.commit(delta, nextId);
    }

    @Override
    public Set<Long> tableIds() {
      return inner.tableIds();
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  @Test
  void homeRowsRefuseTheHandleTagEvenForALiveReference() {
    try (ForgedStore store = new ForgedStore();
        ComputeUnit cu = ComputeUnit.builder().tableStore(store).build()) {
      LuaFunction print = cu.function("print"); // reference 1 is live
      assertThatThrownBy(() -> cu.compute("return _home.h"))
          .isInstanceOf(LuaRuntimeException.class)
          .hasMessageContaining("unsupported tag");
      assertThat(print.call("still usable")).isNull();
    }
  }
}
