package dev.cu.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Predicate;

/**
 * A copy of a mapper whose serializer for a class that crosses by reference ({@link
 * ObjectRefs#byReference}) hands the object to the generator as it is ({@code
 * writeEmbeddedObject}), so that {@link CborEncoder} writes it as a reference inside records,
 * POJOs, {@code Optional}s and trees too. One copy per mapper, kept while the mapper lives, so
 * its serializer caches are shared by every unit.
 */
final class ReferencingMapper {
  private static final Map<ObjectMapper, ObjectMapper> COPIES =
      Collections.synchronizedMap(new WeakHashMap<>());

  private ReferencingMapper() {}

  /** The referencing copy of {@code mapper}; {@code byReference} depends on the class only. */
  static ObjectMapper of(ObjectMapper mapper, Predicate<Class<?>> byReference) {
    return COPIES.computeIfAbsent(mapper, m -> copy(m, byReference));
  }

  private static ObjectMapper copy(ObjectMapper mapper, Predicate<Class<?>> byReference) {
    SimpleModule module = new SimpleModule("cu-object-references");
    module.setSerializerModifier(
        new BeanSerializerModifier() {
          @Override
          public JsonSerializer<?> modifySerializer(
              SerializationConfig config, BeanDescription desc, JsonSerializer<?> serializer) {
            return byReference.test(desc.getBeanClass()) ? Embedded.INSTANCE : serializer;
          }
        });
    return mapper.copy().registerModule(module);
  }

  /** Writes the object itself, for the encoder to write as a reference. */
  private static final class Embedded extends StdSerializer<Object> {
    static final Embedded INSTANCE = new Embedded();

    private Embedded() {
      super(Object.class);
    }

    @Override
    public void serialize(Object value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeEmbeddedObject(value);
    }
  }
}
