package dev.cu;

import java.util.List;

/**
 * A Java function callable from Lua, registered with {@link ComputeUnit.Builder#function}.
 * Arguments arrive converted like results (see {@link ComputeUnit#compute}); the return value
 * goes back converted like {@link ComputeUnit#setInput} input (null becomes nil). An exception
 * becomes a Lua error carrying its message, which Lua code may catch with {@code pcall}; if it
 * ends the call, the exception is the cause of the {@link LuaRuntimeException}.
 */
@FunctionalInterface
public interface HostFunction {
  Object call(List<Object> args) throws Exception;
}
