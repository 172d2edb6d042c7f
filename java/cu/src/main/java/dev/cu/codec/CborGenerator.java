package dev.cu.codec;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.base.GeneratorBase;
import com.fasterxml.jackson.core.json.JsonWriteContext;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * A Jackson generator that writes cu's value format straight into a {@link CborEncoder}, so
 * records, POJOs and trees are serialized by databind (its names, annotations and modules)
 * without an intermediate tree of maps and lists.
 *
 * <p>Jackson does not always know a container's size when it starts one, so every container
 * starts with a one-byte head and is patched when it ends: a head that needs more bytes moves
 * the container's content up. Numbers follow the format: integers as integers, every
 * floating-point or decimal number as float64. Raw JSON cannot be represented and is refused.
 */
final class CborGenerator extends GeneratorBase {
  private final CborEncoder out;
  private final int baseDepth;
  private int[] starts = new int[16];
  private long[] counts = new long[16];
  private int[] majors = new int[16];
  private int open;

  CborGenerator(CborEncoder out, ObjectCodec codec, int baseDepth) {
    super(0, codec);
    this.out = out;
    this.baseDepth = baseDepth;
  }

  /** The depth of the value this generator writes at its root. */
  int baseDepth() {
    return baseDepth;
  }

  /** Counts a value in the enclosing container and checks the nesting depth. */
  private void begin(int major) {
    counted();
    int depth = baseDepth + open + 1;
    if (depth > CborEncoder.MAX_DEPTH) {
      throw new IllegalArgumentException(
          "value nested too deeply (more than "
              + CborEncoder.MAX_DEPTH
              + " levels, or it contains itself)");
    }
    if (open == starts.length) {
      starts = Arrays.copyOf(starts, open * 2);
      counts = Arrays.copyOf(counts, open * 2);
      majors = Arrays.copyOf(majors, open * 2);
    }
    starts[open] = out.placeholder();
    counts[open] = 0;
    majors[open] = major;
    open++;
  }

  private void end(int major) throws IOException {
    if (open == 0 || majors[open - 1] != major) {
      throw new IOException(
          "unbalanced " + (major == Cbor.MAJOR_ARRAY ? "array" : "object") + " end");
    }
    open--;
    out.patchHead(starts[open], major, counts[open]);
  }

  /**
   * Accounts for one value: the write context moves on (in an object, a name must come next)
   * and an array counts one more item; in an object the name counted the entry.
   */
  private void counted() {
    _writeContext.writeValue();
    if (open > 0 && majors[open - 1] == Cbor.MAJOR_ARRAY) {
      counts[open - 1]++;
    }
  }

  @Override
  public void writeStartArray() {
    begin(Cbor.MAJOR_ARRAY);
    _writeContext = _writeContext.createChildArrayContext();
  }

  @Override
  public void writeStartArray(Object forValue, int size) {
    begin(Cbor.MAJOR_ARRAY);
    _writeContext = _writeContext.createChildArrayContext(forValue);
  }

  @Override
  public void writeEndArray() throws IOException {
    end(Cbor.MAJOR_ARRAY);
    _writeContext = _writeContext.clearAndGetParent();
  }

  @Override
  public void writeStartObject() {
    begin(Cbor.MAJOR_MAP);
    _writeContext = _writeContext.createChildObjectContext();
  }

  @Override
  public void writeStartObject(Object forValue) {
    begin(Cbor.MAJOR_MAP);
    _writeContext = _writeContext.createChildObjectContext(forValue);
  }

  @Override
  public void writeEndObject() throws IOException {
    end(Cbor.MAJOR_MAP);
    _writeContext = _writeContext.clearAndGetParent();
  }

  private void name(String name) throws IOException {
    if (_writeContext.writeFieldName(name) == JsonWriteContext.STATUS_EXPECT_VALUE) {
      throw new IOException("a field name where a value was expected");
    }
    counts[open - 1]++;
  }

  @Override
  public void writeFieldName(String name) throws IOException {
    name(name);
    out.text(name);
  }

  @Override
  public void writeFieldName(SerializableString name) throws IOException {
    name(name.getValue());
    out.textBytes(name.asUnquotedUTF8());
  }

  @Override
  public void writeString(String text) {
    counted();
    if (text == null) {
      out.nil();
    } else {
      out.text(text);
    }
  }

  @Override
  public void writeString(char[] text, int offset, int len) {
    writeString(new String(text, offset, len));
  }

  @Override
  public void writeRawUTF8String(byte[] text, int offset, int length) {
    counted();
    out.textBytes(Arrays.copyOfRange(text, offset, offset + length));
  }

  @Override
  public void writeUTF8String(byte[] text, int offset, int length) {
    writeRawUTF8String(text, offset, length);
  }

  @Override
  public void writeBinary(Base64Variant variant, byte[] data, int offset, int len) {
    counted();
    out.byteString(Arrays.copyOfRange(data, offset, offset + len));
  }

  @Override
  public int writeBinary(Base64Variant variant, InputStream data, int len) throws IOException {
    byte[] b = len < 0 ? data.readAllBytes() : data.readNBytes(len);
    writeBinary(variant, b, 0, b.length);
    return b.length;
  }

  @Override
  public void writeNumber(int v) {
    counted();
    out.integer(v);
  }

  @Override
  public void writeNumber(long v) {
    counted();
    out.integer(v);
  }

  @Override
  public void writeNumber(BigInteger v) {
    if (v == null) {
      writeNull();
      return;
    }
    counted();
    out.bigInteger(v);
  }

  @Override
  public void writeNumber(double v) {
    counted();
    out.dbl(v);
  }

  @Override
  public void writeNumber(float v) {
    writeNumber((double) v);
  }

  @Override
  public void writeNumber(BigDecimal v) {
    if (v == null) {
      writeNull();
    } else {
      counted();
      out.bigDecimal(v);
    }
  }

  @Override
  public void writeNumber(String encoded) {
    if (encoded == null) {
      writeNull();
      return;
    }
    try {
      writeNumber(Long.parseLong(encoded));
    } catch (NumberFormatException notLong) {
      writeNumber(new BigDecimal(encoded));
    }
  }

  @Override
  public void writeBoolean(boolean v) {
    counted();
    out.bool(v);
  }

  @Override
  public void writeNull() {
    counted();
    out.nil();
  }

  @Override
  public void writeEmbeddedObject(Object object) {
    if (object instanceof byte[] b) {
      counted();
      out.byteString(b);
    } else if (object == null) {
      writeNull();
    } else {
      counted();
      out.embedded(object, baseDepth + open + 1);
    }
  }

  private static UnsupportedOperationException raw() {
    return new UnsupportedOperationException("raw JSON cannot be converted to a Lua value");
  }

  @Override
  public void writeRaw(String text) {
    throw raw();
  }

  @Override
  public void writeRaw(String text, int offset, int len) {
    throw raw();
  }

  @Override
  public void writeRaw(char[] text, int offset, int len) {
    throw raw();
  }

  @Override
  public void writeRaw(char c) {
    throw raw();
  }

  @Override
  public void writeRawValue(String text) {
    throw raw();
  }

  @Override
  public void writeRawValue(String text, int offset, int len) {
    throw raw();
  }

  @Override
  public void writeRawValue(char[] text, int offset, int len) {
    throw raw();
  }

  @Override
  public void writeRawValue(SerializableString text) {
    throw raw();
  }

  @Override
  public void flush() {}

  @Override
  protected void _releaseBuffers() {}

  @Override
  public void writeString(SerializableString text) {
    writeString(text.getValue());
  }

  @Override
  protected void _verifyValueWrite(String typeMsg) {
    // every writer above accounts for its value itself (counted)
  }

  /** Checks that every container was closed; Jackson leaves none open on success. */
  void finish() throws IOException {
    if (open != 0) {
      throw new IOException("a container was left open");
    }
  }
}
