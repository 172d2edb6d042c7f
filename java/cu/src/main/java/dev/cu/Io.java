package dev.cu;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cu.codec.CborDecoder;
import dev.cu.codec.CborEncoder;
import dev.cu.internal.CuLib;
import dev.cu.internal.NativeUnit;
import dev.cu.internal.StatusMapper;

/** The {@code _io} transfers of one unit: one CBOR blob per value and direction. */
final class Io {
  private final NativeUnit unit;
  private final ObjectMapper mapper;

  Io(NativeUnit unit, ObjectMapper mapper) {
    this.unit = unit;
    this.mapper = mapper;
  }

  void set(String key, String field, Object value) {
    setEncoded(key, field, value == null ? null : CborEncoder.encode(value, mapper));
  }

  void setEncoded(String key, String field, byte[] cbor) {
    int st = unit.ioSet(key, field, cbor);
    if (st == CuLib.CU_ERRVALUE) {
      throw new IllegalArgumentException(
          "cannot convert _io." + key + ": " + StatusMapper.map(st, unit).getMessage());
    }
    if (st != CuLib.CU_OK) {
      throw StatusMapper.map(st, unit);
    }
  }

  Object get(String key, String field) {
    int st = unit.ioGet(key, field);
    if (st != CuLib.CU_OK) {
      throw StatusMapper.map(st, unit);
    }
    return CborDecoder.decode(unit.payload());
  }

  <T> T get(String key, Class<T> type) {
    return mapper.convertValue(get(key, (String) null), type);
  }

  <T> T get(String key, TypeReference<T> type) {
    return mapper.convertValue(get(key, (String) null), type);
  }

  void clear() {
    if (unit.ioClear() != CuLib.CU_OK) {
      throw new LuaMemoryException("not enough memory");
    }
  }
}
