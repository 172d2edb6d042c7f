package dev.cu;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.function.Supplier;

/**
 * A typed host function ({@link ComputeUnit.Builder#function(String, Class,
 * ComputeUnit.TypedFunction)}): its first argument bound to {@code type} by Jackson. The unit
 * calls it with its binding mapper ({@link #call(List, ObjectMapper)}), which keeps exported
 * objects inside a record as themselves.
 */
record TypedHost<T>(Class<T> type, ComputeUnit.TypedFunction<T> fn, Supplier<ObjectMapper> mapper)
    implements HostFunction {
  @Override
  public Object call(List<Object> args) throws Exception {
    return call(args, mapper.get());
  }

  /** Binds the first argument with {@code binding} and calls the function. */
  Object call(List<Object> args, ObjectMapper binding) throws Exception {
    return fn.apply(binding.convertValue(args.isEmpty() ? null : args.get(0), type));
  }
}
