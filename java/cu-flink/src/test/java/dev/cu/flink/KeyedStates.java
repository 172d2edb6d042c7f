package dev.cu.flink;

import dev.cu.store.MapTableStore;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;

/**
 * Flink keyed state outside a job, for store tests: an operator in Flink's test harness on a
 * chosen state backend, whose current key the test sets, and which snapshots and restores like
 * a checkpoint.
 */
final class KeyedStates implements AutoCloseable {
  /** A function that only gives the test its runtime context. */
  private static final class Holder extends KeyedProcessFunction<String, String, String> {
    @Override
    public void processElement(String value, Context ctx, Collector<String> out) {}
  }

  private final Holder holder = new Holder();
  private final KeyedOneInputStreamOperatorTestHarness<String, String, String> harness;
  private final KeyedStateTableMap.States states;

  /** Opens the states on {@code backend}, restored from {@code snapshot} when not null. */
  KeyedStates(StateBackend backend, OperatorSubtaskState snapshot) throws Exception {
    harness =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(holder), v -> v, Types.STRING);
    harness.setStateBackend(backend);
    if (snapshot != null) {
      harness.initializeState(snapshot);
    }
    harness.open();
    states = new KeyedStateTableMap.States(holder.getRuntimeContext());
  }

  /** Makes {@code key} Flink's current key. */
  void key(String key) {
    harness.getOperator().setCurrentKey(key);
  }

  /** The map of {@code key}'s state (usable while {@code key} is current). */
  KeyedStateTableMap map(String key) {
    return new KeyedStateTableMap(states, key, () -> harness.getOperator().getCurrentKey());
  }

  /** A store over {@code key}'s state (usable while {@code key} is current). */
  MapTableStore store(String key) {
    return new MapTableStore(map(key));
  }

  /** A snapshot of every key's state, as a checkpoint takes it. */
  OperatorSubtaskState snapshot() throws Exception {
    return harness.snapshot(1, 1);
  }

  @Override
  public void close() throws Exception {
    harness.close();
  }
}
