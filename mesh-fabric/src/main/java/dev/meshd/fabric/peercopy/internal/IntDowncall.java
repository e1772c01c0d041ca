package dev.meshd.fabric.peercopy.internal;

/**
 * A native call that returns a status code ({@code CUresult}, {@code hipError_t}), as the GPU
 * bindings make them through {@code MethodHandle.invokeExact}, which declares {@code Throwable}.
 */
@FunctionalInterface
public interface IntDowncall {

  int invoke() throws Throwable;

  /**
   * Runs {@code downcall}. A downcall throws no checked exception, so one is a binding bug and
   * comes back unchecked, naming {@code library}.
   */
  static int call(String library, IntDowncall downcall) {
    try {
      return downcall.invoke();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(library + " downcall: " + t, t);
    }
  }
}
