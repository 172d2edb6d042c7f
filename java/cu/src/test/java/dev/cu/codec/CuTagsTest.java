package dev.cu.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Java wire constants equal the C shim's: each {@code #define CU_TAG_<NAME> <number>} of
 * native/src/cu_cbor.h is {@code Cbor.TAG_<NAME>}, every {@code Cbor.TAG_*} has such a line, and
 * {@code CU_MAXDEPTH} is {@link Cbor#MAX_DEPTH}.
 */
class CuTagsTest {
  private static final Path HEADER = Path.of("../../native/src/cu_cbor.h");
  private static final Pattern DEFINE =
      Pattern.compile(
          "^\\s*#\\s*define\\s+(CU_TAG_\\w+|CU_MAXDEPTH)\\s+(0[xX][0-9a-fA-F]+|\\d+)[uUlL]*\\s*(/\\*.*)?$",
          Pattern.MULTILINE);

  /** The CU_TAG_ and CU_MAXDEPTH numbers of the C header, by name. */
  private static Map<String, Long> header() throws IOException {
    assertThat(HEADER)
        .as(
            "the C wire header %s (run from java/cu, like CborVectorsTest)",
            HEADER.toAbsolutePath().normalize())
        .isRegularFile();
    Map<String, Long> defs = new LinkedHashMap<>();
    Matcher m = DEFINE.matcher(Files.readString(HEADER));
    while (m.find()) {
      String n = m.group(2);
      long v =
          n.startsWith("0x") || n.startsWith("0X")
              ? Long.parseLong(n.substring(2), 16)
              : Long.parseLong(n);
      assertThat(defs.put(m.group(1), v)).as("%s defined twice", m.group(1)).isNull();
    }
    return defs;
  }

  /** The Cbor.TAG_* constants, by their C name. */
  private static Map<String, Long> javaTags() throws IllegalAccessException {
    Map<String, Long> tags = new TreeMap<>();
    for (Field f : Cbor.class.getDeclaredFields()) {
      if (f.getName().startsWith("TAG_") && Modifier.isStatic(f.getModifiers())) {
        tags.put("CU_" + f.getName(), f.getLong(null));
      }
    }
    return tags;
  }

  @Test
  void everyCTagEqualsTheJavaTagOfTheSameName() throws Exception {
    Map<String, Long> c = header();
    Map<String, Long> java = javaTags();
    c.remove("CU_MAXDEPTH");
    assertThat(c).as("CU_TAG_ lines of %s", HEADER).isNotEmpty();
    for (Map.Entry<String, Long> e : c.entrySet()) {
      assertThat(java).as("Cbor has no %s", e.getKey().substring(3)).containsKey(e.getKey());
      assertThat(java.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
    }
  }

  @Test
  void everyJavaTagHasACCounterpart() throws Exception {
    assertThat(header().keySet()).containsAll(javaTags().keySet());
  }

  @Test
  void nestingLimitIsTheOneOfC() throws Exception {
    assertThat(header()).as("CU_MAXDEPTH in %s", HEADER).containsKey("CU_MAXDEPTH");
    assertThat(header().get("CU_MAXDEPTH")).isEqualTo((long) Cbor.MAX_DEPTH);
  }

  @Test
  void publicAliasesAreTheCborConstants() {
    assertThat(CborDecoder.TAG_OPAQUE).isEqualTo(Cbor.TAG_OPAQUE);
    assertThat(CborDecoder.MAX_DEPTH).isEqualTo(Cbor.MAX_DEPTH);
    assertThat(CborEncoder.MAX_DEPTH).isEqualTo(Cbor.MAX_DEPTH);
  }
}
