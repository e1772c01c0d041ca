package dev.meshd.fakeruntime;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link FakeRuntime} serves and how fast. Immutable; validated on construction.
 *
 * @param listen address to bind; port 0 picks a free one
 * @param id the value of the {@code x-fake-runtime-id} header; null: the bound port
 * @param models served model names, the first being the default in docs only
 * @param slots concurrent generations; requests beyond them wait in a FIFO queue
 * @param maxQueue waiting requests beyond which new ones are answered 503
 * @param tokensPerSecond generation rate of each request
 * @param ttft delay between a request taking a slot and its first token
 * @param kvCapacityTokens the KV-cache budget: tokens held by running requests over this is the
 *     reported {@code vllm:kv_cache_usage_perc}
 * @param faults faults to inject from the start
 */
public record FakeRuntimeConfig(
    InetSocketAddress listen,
    String id,
    List<String> models,
    int slots,
    int maxQueue,
    double tokensPerSecond,
    Duration ttft,
    long kvCapacityTokens,
    Faults faults) {

  /** The model vLLM's own quick start serves. */
  public static final String DEFAULT_MODEL = "meta-llama/Llama-3.1-8B-Instruct";

  /** 4: enough to show batching on a laptop, small enough that a few curls fill it. */
  public static final int DEFAULT_SLOTS = 4;

  /** 64: a queue that shows up in metrics long before requests are refused. */
  public static final int DEFAULT_MAX_QUEUE = 64;

  /** 50 tokens/s: a plausible per-request decode rate of an 8B model. */
  public static final double DEFAULT_TOKENS_PER_SECOND = 50;

  /** 50 ms: a short-prompt prefill on a fast GPU. */
  public static final Duration DEFAULT_TTFT = Duration.ofMillis(50);

  /**
   * 8192 tokens: four slots of 16-token answers use little of it; long answers ({@code
   * max_tokens} in the thousands) visibly fill it.
   */
  public static final long DEFAULT_KV_CAPACITY_TOKENS = 8192;

  /** Largest accepted {@code max_tokens}. */
  public static final int MAX_TOKENS_CAP = 4096;

  public FakeRuntimeConfig {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(ttft, "ttft");
    Objects.requireNonNull(faults, "faults");
    models = List.copyOf(Objects.requireNonNull(models, "models"));
    if (models.isEmpty() || models.stream().anyMatch(String::isBlank)) {
      throw new IllegalArgumentException("models: " + models + " (expected: non-blank names)");
    }
    if (slots < 1) {
      throw new IllegalArgumentException("slots: " + slots + " (expected: >= 1)");
    }
    if (maxQueue < 0) {
      throw new IllegalArgumentException("maxQueue: " + maxQueue + " (expected: >= 0)");
    }
    if (!(tokensPerSecond > 0) || Double.isInfinite(tokensPerSecond)) {
      throw new IllegalArgumentException(
          "tokensPerSecond: " + tokensPerSecond + " (expected: > 0)");
    }
    if (ttft.isNegative()) {
      throw new IllegalArgumentException("ttft: " + ttft + " (expected: >= 0)");
    }
    if (kvCapacityTokens < 1) {
      throw new IllegalArgumentException(
          "kvCapacityTokens: " + kvCapacityTokens + " (expected: >= 1)");
    }
  }

  /** The defaults, on a free loopback port. */
  public static FakeRuntimeConfig defaults() {
    return new FakeRuntimeConfig(new InetSocketAddress("127.0.0.1", 0), null,
        List.of(DEFAULT_MODEL), DEFAULT_SLOTS, DEFAULT_MAX_QUEUE, DEFAULT_TOKENS_PER_SECOND,
        DEFAULT_TTFT, DEFAULT_KV_CAPACITY_TOKENS, Faults.NONE);
  }

  public FakeRuntimeConfig withListen(InetSocketAddress address) {
    return new FakeRuntimeConfig(address, id, models, slots, maxQueue, tokensPerSecond, ttft,
        kvCapacityTokens, faults);
  }

  public FakeRuntimeConfig withId(String runtimeId) {
    return new FakeRuntimeConfig(listen, runtimeId, models, slots, maxQueue, tokensPerSecond,
        ttft, kvCapacityTokens, faults);
  }

  public FakeRuntimeConfig withModels(List<String> names) {
    return new FakeRuntimeConfig(listen, id, names, slots, maxQueue, tokensPerSecond, ttft,
        kvCapacityTokens, faults);
  }

  public FakeRuntimeConfig withSlots(int count) {
    return new FakeRuntimeConfig(listen, id, models, count, maxQueue, tokensPerSecond, ttft,
        kvCapacityTokens, faults);
  }

  public FakeRuntimeConfig withMaxQueue(int count) {
    return new FakeRuntimeConfig(listen, id, models, slots, count, tokensPerSecond, ttft,
        kvCapacityTokens, faults);
  }

  public FakeRuntimeConfig withTokensPerSecond(double rate) {
    return new FakeRuntimeConfig(listen, id, models, slots, maxQueue, rate, ttft,
        kvCapacityTokens, faults);
  }

  public FakeRuntimeConfig withTtft(Duration delay) {
    return new FakeRuntimeConfig(listen, id, models, slots, maxQueue, tokensPerSecond, delay,
        kvCapacityTokens, faults);
  }

  public FakeRuntimeConfig withKvCapacityTokens(long tokens) {
    return new FakeRuntimeConfig(listen, id, models, slots, maxQueue, tokensPerSecond, ttft,
        tokens, faults);
  }

  public FakeRuntimeConfig withFaults(Faults initial) {
    return new FakeRuntimeConfig(listen, id, models, slots, maxQueue, tokensPerSecond, ttft,
        kvCapacityTokens, initial);
  }

  /** Time between two tokens of one request. */
  public Duration tokenInterval() {
    return Duration.ofNanos(Math.round(1_000_000_000d / tokensPerSecond));
  }
}
