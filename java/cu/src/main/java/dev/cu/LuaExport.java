package dev.cu;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method Lua may call on an object of its class. An object whose class (or a superclass
 * or interface) has at least one such method crosses into Lua by reference, as a userdata:
 * exposed with {@link ComputeUnit.Builder#expose}, returned by a host function or a method, or
 * inside a value given to {@link ComputeUnit#setInput}. Lua calls it as {@code obj:name(a, b)}
 * and reaches nothing else of the object: no fields, no other methods, no metatable.
 *
 * <p>Arguments are bound to the parameter types (integers with range checks, floats, strings,
 * booleans, {@code List}, {@code Map}, exported objects, and records and POJOs through the
 * unit's Jackson mapper); the result goes back like a {@link HostFunction}'s ({@code void} gives
 * no value, a {@link Varargs} several). Overloads of one name must differ in their number of
 * parameters; the method must not be static. An exception becomes the Lua error {@code method
 * 'name' failed} (a {@link LuaRuntimeException} shows its own message), and is the cause of the
 * exception the Java caller receives if it ends the call.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface LuaExport {}
