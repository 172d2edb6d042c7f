package dev.cu.pool;

import dev.cu.ComputeUnit;
import dev.cu.store.LmdbOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/** The settings of a {@link UnitPool}, fixed when it is built. */
final class PoolSettings {
  final Path storage;
  final LmdbOptions storageOptions;
  final int maxLiveUnits;
  final int threads;
  final Consumer<ComputeUnit.Builder> unit;
  final int queueCapacity;
  final Duration queueTimeout;
  final Duration lockTimeout;

  PoolSettings(UnitPool.Builder b) {
    this.storage = b.storage;
    this.storageOptions = b.storageOptions;
    this.maxLiveUnits = b.maxLiveUnits;
    this.threads = b.threads;
    this.unit = b.unit;
    this.queueCapacity = b.queueCapacity;
    this.queueTimeout = b.queueTimeout;
    this.lockTimeout = b.storageOptions.lockTimeout();
  }
}
