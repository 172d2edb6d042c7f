package dev.cu.cli;

import java.io.ByteArrayOutputStream;

/** An in-memory buffer that charges every byte written to an {@link OutputLimit}. */
final class BoundedBuffer extends ByteArrayOutputStream {
  private final OutputLimit limit;

  BoundedBuffer(OutputLimit limit) {
    this.limit = limit;
  }

  @Override
  public synchronized void write(int b) {
    limit.charge(1);
    super.write(b);
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    limit.charge(len);
    super.write(b, off, len);
  }
}
