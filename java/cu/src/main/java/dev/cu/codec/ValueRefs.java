package dev.cu.codec;

import java.util.function.ToLongFunction;

/**
 * What crosses between a unit and Java by reference instead of by copy, for one conversion: its
 * exported Java objects ({@link Cbor#TAG_OBJECT}) and its live Lua handles ({@link
 * Cbor#TAG_HANDLE}). A null part means that kind does not cross here: an exported object is then
 * converted like any other object (encoding) or decodes to a {@code LuaOpaque} (decoding), and a
 * handle item is refused.
 *
 * @param objects the unit's exported objects, or null
 * @param handleOf encoding: the reference of a handle of the unit, or -1 for any other value; it
 *     throws {@link IllegalArgumentException} for a handle it refuses (another unit's, a closed
 *     one). Null: no value is a handle.
 * @param handles decoding: the Java handle of a Lua reference, or null to refuse handle items
 */
public record ValueRefs(
    ObjectRefs objects, ToLongFunction<Object> handleOf, CborDecoder.HandleFactory handles) {}
