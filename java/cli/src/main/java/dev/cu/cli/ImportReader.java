package dev.cu.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the JSON {@code cu state export} writes as a stream of flat batches for {@link
 * HomeImport}, never holding the whole document: each table of the document is a node numbered
 * in order of appearance (node 1 is the top, {@code _home} itself); a batch says which nodes
 * begin (arrays or maps), which scalar values to set ({@code node, key, value}) and which table
 * values to set ({@code node, key, node}). The document's own nesting is kept on a heap stack,
 * so any depth reads.
 *
 * <p>The markers of {@link JsonFormat} are undone: {@code {"$id": n, ...}} numbers a map and
 * {@code {"$id": n, "$values": [...]}} an array for later {@code {"$ref": n}}, which must come
 * after the {@code $id} they name (inside it for a cycle); a key of one or more {@code $} before
 * {@code id}, {@code ref} or {@code values} loses one {@code $}. A member key that is an integer
 * in canonical decimal form ({@code 3}, {@code -7}, not {@code 03}) becomes an integer key, since
 * export writes integer keys so, unless the object's keys are exactly 1..n: export writes a table
 * with integer keys 1..n as an array, so those keys were strings. JSON integers become Lua
 * integers (bigints beyond 64 bits, as export writes a bigint) and numbers with a point or
 * exponent floats ({@code 1.0} stays a float); {@code null}
 * becomes {@code json.null}. Anything else export never writes, a malformed marker, an unpaired
 * surrogate, a duplicate key or content after the value, fails with a usage error that names the
 * place: path in the document, line and column. Nothing recurses per level of the document.
 */
final class ImportReader {
  /** Scalar sets per batch (each three list items); reference sets count the same. */
  static final int BATCH = 4096;

  /**
   * Most digits of a number. Export writes a bigint's every digit; 10,000,000 digits (about 33
   * million bits) parse in a few seconds with Jackson's fast parser, whose time grows faster than
   * the digits, so a hostile document cannot hold the import much longer.
   */
  static final int MAX_DIGITS = 10_000_000;

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(Integer.MAX_VALUE)
                  .maxStringLength(Integer.MAX_VALUE)
                  .maxNameLength(Integer.MAX_VALUE) // a key of any length, as export writes
                  .maxNumberLength(MAX_DIGITS)
                  .build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(StreamReadFeature.USE_FAST_BIG_NUMBER_PARSER)
          .build();

  private static final Pattern MARKER = Pattern.compile("\\$+(id|ref|values)");
  private static final Pattern INTEGER = Pattern.compile("0|-?[1-9][0-9]{0,18}");

  /** A reference to node {@code node} as a pending value. */
  private record Ref(int node) {}

  /** A table being read: its node, its current member, deferred integer keys. */
  private static final class Frame {
    final int node;
    final boolean array;
    final boolean wrapped;
    long index;
    long members;
    String key;
    List<Object> integerKeys; // key (String), value, ... for keys that look like integers

    Frame(int node, boolean array, boolean wrapped) {
      this.node = node;
      this.array = array;
      this.wrapped = wrapped;
    }
  }

  private final JsonParser p;
  private final ArrayDeque<Frame> open = new ArrayDeque<>();
  private final Map<Long, Integer> ids = new HashMap<>();
  private int nodes;
  private boolean started;
  private boolean done;
  private JsonToken pending; // a token object() read ahead, for step() to handle
  private List<Object> begins = new ArrayList<>();
  private List<Object> sets = new ArrayList<>();
  private List<Object> refs = new ArrayList<>();

  ImportReader(InputStream in) {
    try {
      this.p = FACTORY.createParser(in);
    } catch (IOException e) {
      throw new CliException(ErrorKind.USAGE, "cannot read the import: " + e.getMessage(), e);
    }
  }

  /** Nodes (tables) met so far. */
  int tables() {
    return nodes;
  }

  /**
   * The next batch: {@code [begins, sets, refs]}, begins being one boolean per new node (true for
   * an array), sets {@code node, key, value} triples, refs {@code node, key, node} triples; null
   * after the last.
   */
  List<Object> next() {
    if (done) {
      return null;
    }
    try {
      while (!done && sets.size() + refs.size() < 3 * BATCH && begins.size() < BATCH) {
        step();
      }
    } catch (JsonProcessingException e) {
      String what = e.getOriginalMessage().replaceAll("\\[Source: [^;\\]]*; ", "[");
      throw error("not valid JSON: " + what, e.getLocation(), e);
    } catch (IOException e) {
      throw new CliException(ErrorKind.USAGE, "cannot read the import: " + e.getMessage(), e);
    }
    List<Object> batch = List.of(begins, sets, refs);
    begins = new ArrayList<>();
    sets = new ArrayList<>();
    refs = new ArrayList<>();
    return batch;
  }

  /** Reads one token (or a marker object) and records what it means. */
  private void step() throws IOException {
    JsonToken t = pending != null ? pending : p.nextToken();
    pending = null;
    if (!started) {
      started = true;
      if (t == null) {
        throw new CliException(ErrorKind.USAGE, "the import is empty: expected a JSON object");
      } else if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
        throw error("the top must be a JSON object (the keys of _home)", here(), null);
      }
      value(t, null);
      return;
    }
    if (t == null) {
      throw error("the document ends inside a table", here(), null);
    }
    Frame f = open.peek();
    if (t == JsonToken.END_ARRAY || t == JsonToken.END_OBJECT) {
      close(f);
    } else if (f.array) {
      f.index++;
      f.members++;
      value(t, f);
    } else if (t == JsonToken.FIELD_NAME) {
      String name = text(p.currentName(), false);
      if (MARKER.matcher(name).matches()) {
        if (name.startsWith("$$")) {
          name = name.substring(1);
        } else {
          throw error("unexpected " + name + " (a marker is the first member)", here(), null);
        }
      }
      f.key = name;
      f.members++;
      value(p.nextToken(), f);
    }
  }

  /** Records the value at token {@code t} as the next member of {@code parent} (null: the top). */
  private void value(JsonToken t, Frame parent) throws IOException {
    switch (t) {
      case START_ARRAY -> link(parent, begin(true, false, null));
      case START_OBJECT -> object(parent);
      case VALUE_STRING -> set(parent, text(p.getText(), true));
      case VALUE_NUMBER_INT -> set(parent, integer());
      case VALUE_NUMBER_FLOAT -> {
        double d = p.getDoubleValue();
        if (!Double.isFinite(d)) {
          throw error("number " + p.getText() + " is out of range at " + path(true), here(), null);
        }
        set(parent, d);
      }
      case VALUE_TRUE -> set(parent, Boolean.TRUE);
      case VALUE_FALSE -> set(parent, Boolean.FALSE);
      case VALUE_NULL -> set(parent, null);
      default -> throw error("unexpected " + t + " at " + path(true), here(), null);
    }
  }

  /** An object: a reference, a marked array, a marked map or a plain map. */
  private void object(Frame parent) throws IOException {
    JsonToken t = p.nextToken();
    String first = t == JsonToken.FIELD_NAME ? p.currentName() : null;
    if ("$ref".equals(first)) {
      long id = id("$ref");
      Integer node = ids.get(id);
      if (node == null) {
        throw error(
            "{\"$ref\": " + id + "} at " + path(true) + " names no table marked before it",
            here(),
            null);
      }
      if (p.nextToken() != JsonToken.END_OBJECT) {
        throw error("{\"$ref\": " + id + "} at " + path(true) + " has other members", here(), null);
      }
      if (parent == null) {
        throw error("the top must be a JSON object, not a $ref", here(), null);
      }
      link(parent, node);
      return;
    }
    Long id = null;
    if ("$id".equals(first)) {
      id = id("$id");
      if (ids.containsKey(id)) {
        throw error("$id " + id + " at " + path(true) + " is used twice", here(), null);
      }
      t = p.nextToken();
      if (t == JsonToken.FIELD_NAME && p.currentName().equals("$values")) {
        if (p.nextToken() != JsonToken.START_ARRAY) {
          throw error("$values at " + path(true) + " must be an array", here(), null);
        }
        link(parent, begin(true, true, id));
        return;
      }
    } else if ("$values".equals(first)) {
      throw error("$values at " + path(true) + " without a $id before it", here(), null);
    }
    link(parent, begin(false, false, id));
    pending = t; // the first member's name or the end: the next step reads it, not this frame
  }

  /** Opens a new table: node 1 for the top, else a new node recorded in begins. */
  private int begin(boolean array, boolean wrapped, Long id) {
    int node = ++nodes;
    if (node > 1) {
      begins.add(array);
    }
    if (id != null) {
      ids.put(id, node);
    }
    open.push(new Frame(node, array, wrapped));
    return node;
  }

  /** Ends table {@code f}: flushes its deferred integer keys; the top ends the document. */
  private void close(Frame f) throws IOException {
    if (f.wrapped && p.nextToken() != JsonToken.END_OBJECT) {
      throw error(
          "a {\"$id\", \"$values\"} object at " + path(false) + " has other members", here(), null);
    }
    if (f.integerKeys != null) {
      int n = f.integerKeys.size() / 2;
      boolean sequence = n == f.members;
      for (int i = 0; sequence && i < f.integerKeys.size(); i += 2) {
        long k = Long.parseLong((String) f.integerKeys.get(i));
        sequence = k >= 1 && k <= n;
      }
      for (int i = 0; i < f.integerKeys.size(); i += 2) {
        String k = (String) f.integerKeys.get(i);
        put(f.node, sequence ? k : (Object) Long.parseLong(k), f.integerKeys.get(i + 1));
      }
    }
    open.pop();
    if (open.isEmpty()) {
      JsonLocation end = p.currentLocation();
      JsonToken more;
      try {
        more = p.nextToken();
      } catch (JsonProcessingException e) {
        more = JsonToken.NOT_AVAILABLE;
      }
      if (more != null) {
        throw error("content after the document, which ends", end, null);
      }
      done = true;
    }
  }

  /** Sets the current member of {@code parent} to node {@code node}. */
  private void link(Frame parent, int node) {
    if (parent != null) {
      set(parent, new Ref(node));
    }
  }

  private void set(Frame parent, Object value) {
    if (parent.array) {
      put(parent.node, parent.index, value);
    } else if (INTEGER.matcher(parent.key).matches() && isLong(parent.key)) {
      if (parent.integerKeys == null) {
        parent.integerKeys = new ArrayList<>();
      }
      parent.integerKeys.add(parent.key);
      parent.integerKeys.add(value);
    } else {
      put(parent.node, parent.key, value);
    }
  }

  private void put(int node, Object key, Object value) {
    List<Object> into = value instanceof Ref ? refs : sets;
    into.add(node);
    into.add(key);
    into.add(value instanceof Ref r ? (Object) r.node() : value);
  }

  private static boolean isLong(String s) {
    try {
      Long.parseLong(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * The integer at the current token: a Long, or beyond 64 bits a BigInteger, which Lua gets as
   * the bigint export wrote it from. Its digits are bounded by {@link #MAX_DIGITS}.
   */
  private Object integer() throws IOException {
    if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      return p.getBigIntegerValue();
    }
    return p.getLongValue();
  }

  /** The positive integer after a {@code $id} or {@code $ref}. */
  private long id(String marker) throws IOException {
    if (p.nextToken() != JsonToken.VALUE_NUMBER_INT
        || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
        || p.getLongValue() < 1) {
      throw error(marker + " at " + path(true) + " must be a positive integer", here(), null);
    }
    return p.getLongValue();
  }

  /** {@code s}, unless it has an unpaired surrogate, which no Lua string holds as UTF-8. */
  private String text(String s, boolean value) {
    int bad = InputJson.unpairedSurrogate(s);
    if (bad >= 0) {
      throw error(
          String.format(
              "%s at %s has an unpaired surrogate U+%04X",
              value ? "string" : "key", path(value), (int) s.charAt(bad)),
          here(),
          null);
    }
    return s;
  }

  /**
   * Where the reader is, in Lua's syntax ({@code _home.a["b c"][3]}): the current member of the
   * innermost open table if {@code member}, else that table itself. Computed only for a message.
   */
  private String path(boolean member) {
    StringBuilder b = new StringBuilder("_home");
    java.util.Iterator<Frame> up = open.descendingIterator();
    for (int i = 0, n = open.size() - (member ? 0 : 1); i < n && up.hasNext(); i++) {
      Frame f = up.next();
      if (f.array) {
        b.append('[').append(f.index).append(']');
      } else if (f.key == null) {
        break; // no member read yet
      } else if (f.key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        b.append('.').append(f.key);
      } else {
        b.append('[').append(JsonFormat.toJson(f.key)).append(']');
      }
    }
    return b.toString();
  }

  private JsonLocation here() {
    return p.currentTokenLocation();
  }

  private static CliException error(String what, JsonLocation where, Throwable cause) {
    String at =
        where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
    return new CliException(ErrorKind.USAGE, "cannot import: " + what + at, cause);
  }
}
