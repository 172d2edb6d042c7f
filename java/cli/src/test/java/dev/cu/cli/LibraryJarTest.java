package dev.cu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cu.ComputeUnit;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The library jar this module is built against, as a module-path user sees it: its manifest
 * names the module {@code dev.cu}, and the module holds the public packages.
 */
class LibraryJarTest {
  @Test
  void theLibraryJarIsTheAutomaticModuleDevCu() throws Exception {
    Path jar =
        Path.of(ComputeUnit.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertThat(jar.getFileName().toString())
        .as("the library arrives as its packaged jar (run through Maven's reactor or a repository)")
        .endsWith(".jar");
    assertThat(Files.isRegularFile(jar)).isTrue();

    List<ModuleReference> found = List.copyOf(ModuleFinder.of(jar).findAll());
    assertThat(found).hasSize(1);
    ModuleDescriptor module = found.get(0).descriptor();
    assertThat(module.name()).isEqualTo("dev.cu");
    assertThat(module.isAutomatic()).isTrue();
    assertThat(module.packages()).contains("dev.cu", "dev.cu.io", "dev.cu.store");
  }
}
