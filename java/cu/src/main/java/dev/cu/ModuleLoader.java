package dev.cu;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where {@code require(name)} finds the Lua source of a module that is not built in (see {@link
 * ComputeUnit.Builder#modules(ModuleLoader)} and docs/SANDBOX.md). A module name is one or more
 * segments of letters, digits and {@code _}, separated by dots ({@code "a.b"}); {@code require}
 * refuses every other name before asking a loader. Modules are source only: the unit compiles
 * them in text mode, so a precompiled (binary) chunk never loads.
 *
 * <p>A loader is called on the unit's thread while a script runs; it must not use the unit.
 * What it throws becomes a Lua error ("error loading module 'a': the module loader failed"),
 * without its message; the exception is the cause of the {@link LuaException} the caller gets.
 */
public interface ModuleLoader {

  /**
   * A module's source and the chunk name Lua uses for it in messages and tracebacks.
   *
   * @param chunkName the name in messages, e.g. {@code "mods/a/b.lua"}; no zero character
   * @param source the module's Lua source
   */
  record Module(String chunkName, String source) {
    /**
     * Checks the parts.
     *
     * @throws NullPointerException when an argument is null
     * @throws IllegalArgumentException when the chunk name contains a zero character
     */
    public Module {
      Objects.requireNonNull(chunkName, "chunkName");
      Objects.requireNonNull(source, "source");
      if (chunkName.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("chunk name contains a zero character");
      }
    }
  }

  /**
   * Looks module {@code name} up.
   *
   * @param name a valid module name
   * @return the module, or empty when this loader does not have it
   * @throws IllegalArgumentException when {@code name} is not a valid module name
   * @throws IOException when the module exists but cannot be read
   */
  Optional<Module> find(String name) throws IOException;

  /**
   * The places {@link #find} looks at for {@code name}, for the message of a missing module,
   * e.g. {@code "no file '/x/a/b.lua'"}.
   */
  List<String> places(String name);

  /** A loader that asks this one first, then {@code next}. */
  default ModuleLoader orElse(ModuleLoader next) {
    return first(this, next);
  }

  /**
   * A loader that asks {@code loaders} in order and takes the first module found.
   *
   * @throws NullPointerException when a loader is null
   */
  static ModuleLoader first(ModuleLoader... loaders) {
    List<ModuleLoader> all = List.of(loaders);
    return new ModuleLoader() {
      @Override
      public Optional<Module> find(String name) throws IOException {
        for (ModuleLoader l : all) {
          Optional<Module> m = l.find(name);
          if (m.isPresent()) {
            return m;
          }
        }
        return Optional.empty();
      }

      @Override
      public List<String> places(String name) {
        List<String> p = new ArrayList<>();
        for (ModuleLoader l : all) {
          p.addAll(l.places(name));
        }
        return p;
      }
    };
  }

  /**
   * Modules given as source, by name. The chunk name of module {@code "a.b"} is {@code "a.b"}.
   *
   * @throws IllegalArgumentException when a key is not a valid module name
   * @throws NullPointerException when a key or value is null
   */
  static ModuleLoader of(Map<String, String> sources) {
    Map<String, String> copy = Map.copyOf(sources);
    copy.keySet().forEach(ModuleLoader::checkName);
    return new ModuleLoader() {
      @Override
      public Optional<Module> find(String name) {
        checkName(name);
        String s = copy.get(name);
        return s == null ? Optional.empty() : Optional.of(new Module(name, s));
      }

      @Override
      public List<String> places(String name) {
        return List.of("no module '" + name + "' in the given sources");
      }
    };
  }

  /**
   * Modules in files under {@code dir}: {@code require("a.b")} reads {@code dir/a/b.lua} as
   * UTF-8, with that path as chunk name. The name's rule keeps every path inside {@code dir}
   * ({@code ..}, absolute paths, separators and empty segments cannot be written); symbolic
   * links inside {@code dir} are followed.
   *
   * @throws NullPointerException when {@code dir} is null
   */
  static ModuleLoader directory(Path dir) {
    Objects.requireNonNull(dir, "dir");
    return new ModuleLoader() {
      @Override
      public Optional<Module> find(String name) throws IOException {
        Path file = dir.resolve(relativePath(name));
        if (!Files.isRegularFile(file)) {
          return Optional.empty();
        }
        try {
          return Optional.of(new Module(file.toString(), Files.readString(file, UTF_8)));
        } catch (NoSuchFileException e) {
          return Optional.empty();
        }
      }

      @Override
      public List<String> places(String name) {
        return List.of("no file '" + dir.resolve(relativePath(name)) + "'");
      }
    };
  }

  /**
   * Modules in class-path resources under {@code prefix}: {@code require("a.b")} reads resource
   * {@code prefix/a/b.lua} as UTF-8, with that resource name as chunk name. Resources come from
   * the calling thread's context class loader at the time of this call, or when it has none,
   * from the class loader of the cu library; {@link #classpath(String, ClassLoader)} names
   * one.
   *
   * @param prefix a resource folder such as {@code "lua"} or {@code "com/example/lua"}; empty
   *     for the root; leading and trailing slashes are ignored
   */
  static ModuleLoader classpath(String prefix) {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    return classpath(prefix, cl != null ? cl : ModuleLoader.class.getClassLoader());
  }

  /**
   * Like {@link #classpath(String)}, with the resources of {@code loader}.
   *
   * @throws NullPointerException when an argument is null
   */
  static ModuleLoader classpath(String prefix, ClassLoader loader) {
    Objects.requireNonNull(loader, "loader");
    String p = prefix.replaceAll("^/+|/+$", "");
    String base = p.isEmpty() ? "" : p + "/";
    return new ModuleLoader() {
      @Override
      public Optional<Module> find(String name) throws IOException {
        String resource = base + relativePath(name);
        try (InputStream in = loader.getResourceAsStream(resource)) {
          if (in == null) {
            return Optional.empty();
          }
          return Optional.of(new Module(resource, new String(in.readAllBytes(), UTF_8)));
        }
      }

      @Override
      public List<String> places(String name) {
        return List.of("no resource '" + base + relativePath(name) + "' on the class path");
      }
    };
  }

  /**
   * Whether {@code name} is a valid module name: segments of letters, digits and {@code _}
   * separated by single dots, at most 200 characters.
   */
  static boolean isValidName(String name) {
    if (name == null || name.isEmpty() || name.length() > 200) {
      return false;
    }
    int segment = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '.') {
        if (segment == 0) {
          return false;
        }
        segment = 0;
      } else if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '_') {
        segment++;
      } else {
        return false;
      }
    }
    return segment > 0;
  }

  /** {@code "a/b.lua"} for {@code "a.b"}; refuses an invalid name. */
  private static String relativePath(String name) {
    checkName(name);
    return name.replace('.', '/') + ".lua";
  }

  private static void checkName(String name) {
    if (!isValidName(name)) {
      throw new IllegalArgumentException("invalid module name: " + name);
    }
  }
}
