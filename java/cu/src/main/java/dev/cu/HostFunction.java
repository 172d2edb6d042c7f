package dev.cu;

import java.util.List;

/**
 * A Java function callable from Lua, registered with {@link ComputeUnit.Builder#function} or
 * {@link ComputeUnit#register}. Arguments arrive converted like results (see {@link
 * ComputeUnit#compute}); the return value goes back converted like {@link ComputeUnit#setInput}
 * input, as one value (null becomes nil), or as several when it is a {@link Varargs}. A Lua
 * function among the arguments is a {@link LuaFunction} the host function may call (a
 * callback); it is released when the host function returns, unless {@link LuaFunction#retain()}
 * was called.
 *
 * <p>An exception becomes a Lua error that Lua code may catch with {@code pcall}. Its message,
 * after the position of the call ({@code compute:3: }), is exactly {@code host function 'name'
 * failed}: the sandbox never sees a Java class name, message or stack trace. Only a {@link
 * LuaRuntimeException}, thrown on purpose, shows Lua its own message. If the error ends the
 * call, the exception is the cause of the {@link LuaRuntimeException} the Java caller receives.
 */
@FunctionalInterface
public interface HostFunction {
  Object call(List<Object> args) throws Exception;
}
