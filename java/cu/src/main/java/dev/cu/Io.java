package dev.cu;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cu.codec.CborDecoder;
import dev.cu.codec.CborEncoder;
import dev.cu.internal.NativeUnit;

/** The {@code _io} transfers of one unit: one CBOR blob per value and direction. */
final class Io {
  private final NativeUnit unit;
  private final ObjectMapper mapper;
  private final ObjectTable objects;

  Io(NativeUnit unit, ObjectMapper mapper, ObjectTable objects) {
    this.unit = unit;
    this.mapper = mapper;
    this.objects = objects;
  }

  void set(String key, String field, Object value) {
    setEncoded(key, field, value == null ? null : CborEncoder.encode(value, mapper, objects));
  }

  void setEncoded(String key, String field, byte[] cbor) {
    unit.ioSet(key, field, cbor);
  }

  Object get(String key, String field) {
    return CborDecoder.decode(unit.ioGet(key, field), false, objects);
  }

  <T> T get(String key, Class<T> type) {
    return CborEncoder.referencing(mapper, objects).convertValue(get(key, (String) null), type);
  }

  <T> T get(String key, TypeReference<T> type) {
    return CborEncoder.referencing(mapper, objects).convertValue(get(key, (String) null), type);
  }

  void clear() {
    unit.ioClear();
  }
}
