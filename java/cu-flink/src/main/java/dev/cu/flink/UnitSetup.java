package dev.cu.flink;

import dev.cu.ComputeUnit;
import java.io.Serializable;

/**
 * Settings applied to every unit a {@link CuProcessFunction} builds (limits, host functions,
 * exposed objects, modules). Serializable, because Flink ships the function, and this with it, to
 * its task managers; a lambda given where this type is expected is serializable when what it
 * captures is.
 */
@FunctionalInterface
public interface UnitSetup extends Serializable {
  /** Applies the settings to {@code builder}. */
  void apply(ComputeUnit.Builder builder);
}
