package dev.cu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cu.ModuleLoader.Module;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The loaders of {@link ModuleLoader} on their own, without a unit. */
class ModuleLoaderTest {
  @TempDir Path dir;

  @Test
  void ofFindsTheGivenSourcesByName() throws IOException {
    ModuleLoader l = ModuleLoader.of(Map.of("a.b", "return 1"));
    assertThat(l.find("a.b")).contains(new Module("a.b", "return 1"));
    assertThat(l.find("a")).isEmpty();
    assertThat(l.places("x")).containsExactly("no module 'x' in the given sources");
  }

  @Test
  void ofRefusesKeysThatAreNotModuleNames() {
    assertThatThrownBy(() -> ModuleLoader.of(Map.of("a/b", "")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a/b");
  }

  @Test
  void directoryReadsDottedNamesAsNestedFiles() throws IOException {
    Files.createDirectories(dir.resolve("a"));
    Files.writeString(dir.resolve("a/b.lua"), "return 'ä'");
    ModuleLoader l = ModuleLoader.directory(dir);
    Optional<Module> m = l.find("a.b");
    assertThat(m).isPresent();
    assertThat(m.get().source()).isEqualTo("return 'ä'");
    assertThat(m.get().chunkName()).isEqualTo(dir.resolve("a/b.lua").toString());
    assertThat(l.find("a.c")).isEmpty();
    assertThat(l.find("a")).isEmpty(); // a folder is not a module
    assertThat(l.places("a.c")).containsExactly("no file '" + dir.resolve("a/c.lua") + "'");
  }

  @ParameterizedTest(name = "directory refuses {0}")
  @ValueSource(
      strings = {"..", "../x", "a..b", ".a", "a.", "/etc/passwd", "a\\b", "a/b", "", "a b"})
  void directoryRefusesNamesThatCouldLeaveIt(String name) throws IOException {
    Files.writeString(dir.getParent().resolve("x.lua"), "return 1");
    ModuleLoader l = ModuleLoader.directory(dir);
    assertThatThrownBy(() -> l.find(name)).isInstanceOf(IllegalArgumentException.class);
    assertThat(ModuleLoader.isValidName(name)).isFalse();
  }

  @Test
  void validNamesAreDottedSegmentsOfWordCharacters() {
    assertThat(ModuleLoader.isValidName("a")).isTrue();
    assertThat(ModuleLoader.isValidName("a_1.B2.c")).isTrue();
    assertThat(ModuleLoader.isValidName("a".repeat(200))).isTrue();
    assertThat(ModuleLoader.isValidName("a".repeat(201))).isFalse();
    assertThat(ModuleLoader.isValidName("é")).isFalse();
    assertThat(ModuleLoader.isValidName(null)).isFalse();
  }

  @Test
  void classpathReadsResourcesUnderThePrefix() throws IOException {
    for (String prefix : List.of("testmods", "/testmods/")) {
      ModuleLoader l = ModuleLoader.classpath(prefix);
      Optional<Module> m = l.find("a.b");
      assertThat(m).isPresent();
      assertThat(m.get().chunkName()).isEqualTo("testmods/a/b.lua");
      assertThat(m.get().source()).contains("classpath");
      assertThat(l.find("a.c")).isEmpty();
      assertThat(l.places("a.c"))
          .containsExactly("no resource 'testmods/a/c.lua' on the class path");
    }
    assertThatThrownBy(() -> ModuleLoader.classpath("testmods").find("..a"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void classpathUsesTheGivenClassLoader() throws IOException {
    ClassLoader empty = new ClassLoader(null) {};
    assertThat(ModuleLoader.classpath("testmods", empty).find("a.b")).isEmpty();
  }

  @Test
  void compositionTakesTheFirstFoundAndListsAllPlaces() throws IOException {
    Files.writeString(dir.resolve("m.lua"), "return 'dir'");
    ModuleLoader l =
        ModuleLoader.of(Map.of("x", "return 'map'"))
            .orElse(ModuleLoader.directory(dir))
            .orElse(ModuleLoader.classpath("testmods"));
    assertThat(l.find("x").orElseThrow().source()).isEqualTo("return 'map'");
    assertThat(l.find("m").orElseThrow().source()).isEqualTo("return 'dir'");
    assertThat(l.find("a.b").orElseThrow().chunkName()).isEqualTo("testmods/a/b.lua");
    assertThat(l.find("zz")).isEmpty();
    assertThat(l.places("zz"))
        .containsExactly(
            "no module 'zz' in the given sources",
            "no file '" + dir.resolve("zz.lua") + "'",
            "no resource 'testmods/zz.lua' on the class path");
    ModuleLoader f = ModuleLoader.first(ModuleLoader.directory(dir), ModuleLoader.of(Map.of()));
    assertThat(f.find("m")).isPresent();
    assertThat(f.places("q")).hasSize(2);
  }

  @Test
  void moduleRefusesAZeroInItsChunkName() {
    assertThatThrownBy(() -> new Module("a\0b", "")).isInstanceOf(IllegalArgumentException.class);
  }
}
