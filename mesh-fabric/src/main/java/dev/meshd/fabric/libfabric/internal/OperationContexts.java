package dev.meshd.fabric.libfabric.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code void *context} of each operation an endpoint posts. meshd names an operation by a
 * 64-bit value ({@code kind << 32 | index}, one operation in flight per value at a time). When
 * the provider demands nothing, that value itself is passed and handed back. Under
 * {@code FI_CONTEXT}/{@code FI_CONTEXT2} the provider writes into the context, so each value
 * gets a zeroed struct of the demanded size from the endpoint's arena, the same struct every
 * time it is used: it lives until the endpoint's fids are closed (the arena closes after
 * them), so it outlives every completion. Completions are mapped back to the value.
 *
 * <p>Confined to the endpoint's thread.
 */
final class OperationContexts {

  private final Arena arena;
  private final int contextBytes;
  private final Map<Long, MemorySegment> structs = new HashMap<>();
  private final Map<Long, Long> values = new HashMap<>();

  /** @param contextBytes {@link ProviderDemands#contextBytes()}: 0, 32 or 64 */
  OperationContexts(Arena arena, int contextBytes) {
    this.arena = arena;
    this.contextBytes = contextBytes;
  }

  /** The context to post operation {@code value} with. */
  MemorySegment forOperation(long value) {
    if (contextBytes == 0) {
      return MemorySegment.ofAddress(value);
    }
    MemorySegment struct = structs.get(value);
    if (struct == null) {
      struct = arena.allocate(contextBytes, 8);
      structs.put(value, struct);
      values.put(struct.address(), value);
    }
    return struct;
  }

  /** The operation a completion's {@code op_context} names. */
  long operation(long context) {
    if (contextBytes == 0) {
      return context;
    }
    Long value = values.get(context);
    // Not ours (a provider bug): a value no handler knows, which it reports.
    return value == null ? -1L : value;
  }

  /** How many context structs were handed out (0 when the provider demands none). */
  int structsInUse() {
    return structs.size();
  }
}
