package dev.meshd.agent.runtime;

import dev.meshd.core.signal.ModelLoad;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Measures each model's decode rate, tokens per second per running request, from one runtime's
 * figures at consecutive healthy scrapes. Each scrape's reading carries one figure at most
 * ({@link ModelReading}); each window is measured from one kind of figure: when a model's figure
 * changes kind between two scrapes (a histogram appears once the runtime observed its first
 * token, or disappears after an upgrade), the window is dropped and a new one starts, the last
 * figure stays.
 *
 * <p><b>Inter-token latency histogram</b> (preferred): over the window since the previous healthy
 * scrape, {@code Δ _count / Δ _sum}. {@code Δ _sum / Δ _count} is the mean time between
 * consecutive tokens of the tokens observed in the window, whatever the number of requests
 * running at either end, so requests that started and finished between two scrapes count too
 * (the counter below cannot divide their tokens by anything). vLLM and SGLang observe per token
 * (vLLM once per engine step per request, which is per token unless a step gives a request
 * several tokens); an observation that is a request's mean would weigh requests rather than
 * tokens, still a fair estimate of the rate.
 *
 * <ul>
 *   <li>A window in which {@code _count} did not grow (no token, or only first tokens) keeps the
 *       last figure: an idle runtime decodes as fast as when it was last busy.
 *   <li>A window in which {@code _count} or {@code _sum} went down (the runtime or one of its
 *       engines restarted) is dropped, and the next starts there; the last figure stays.
 *   <li>A window in which {@code _count} grew but {@code _sum} did not (no time between tokens
 *       cannot be) keeps the last figure, as does an absurd one (below).
 * </ul>
 *
 * <p><b>Generated-token counter</b> (where the runtime exports no histogram): between two
 * healthy scrapes, {@code Δ counter / Δ seconds / mean running requests}, where the mean is that
 * of the running gauge at both scrapes. A window is the time since the previous healthy scrape,
 * or longer when the counter stood still while requests ran (below); every measured window
 * replaces the figure.
 *
 * <ul>
 *   <li>For a runtime whose counter grows in lumps (SGLang: older versions add to it once per
 *       decode-log interval of some 40 steps), a window in which the counter did not grow while
 *       requests were running at both ends is not closed: the next one starts where it started,
 *       so the lump is measured over the time it took, not over the scrape interval after it.
 *       For a runtime that counts at every step (vLLM) such a window is one where every running
 *       request was still in its prefill: it is closed and keeps the last figure, so prefill
 *       time is not counted as decoding.
 *   <li>A window in which the counter did not grow and no request ran at one end, or in which no
 *       request ran at either end, keeps the last figure: an idle runtime decodes as fast as
 *       when it was last busy. (Tokens of requests that came and went between two scrapes cannot
 *       be divided by anything.)
 *   <li>A counter that went down (the runtime or one of its engines restarted) discards the
 *       window and starts a new one; the last figure stays, the hardware did not change.
 * </ul>
 *
 * <p>For both:
 *
 * <ul>
 *   <li>No figure until a second scrape gives a window.
 *   <li>A figure that comes out absurd (not finite, because the clock did not move or went back,
 *       or above {@link #MAX_PLAUSIBLE}, because an engine joined with its own counter) is not
 *       published; the window is discarded and the last figure stays.
 *   <li>A window longer than {@link #LONGEST_WINDOW_INTERVALS} scrape intervals (the runtime
 *       was unreachable in between, or the agent was paused) is discarded and the last figure
 *       stays: a counter's mean running requests would come from its two ends only, which says
 *       little about the minutes between, and a runtime out of reach that long may have
 *       restarted and counted past its old figures since.
 *   <li>A model that is no longer reported, or whose figure disappeared, drops its state.
 * </ul>
 *
 * <p>A runtime that exports no histogram and no counter but its own throughput gauge ({@link
 * ModelReading#generationThroughput()}) is measured at each scrape as that throughput divided by
 * the running requests; a scrape with a throughput of 0 or no running request keeps the last
 * figure (the runtime was idle, or its last report was of a prefill), and so does an absurd one.
 *
 * <p>An unhealthy scrape is not shown to this class at all, so it keeps its state. Not
 * thread-safe: owned by one {@link RuntimeScraper}, which scrapes one at a time.
 */
final class DecodeRates {

  /**
   * Tokens per second per request above which a window is taken as broken, not fast: today's
   * fastest serving stacks decode one request at a few thousand tokens per second.
   */
  static final double MAX_PLAUSIBLE = 100_000;

  /** The longest window measured, in scrape intervals. */
  static final int LONGEST_WINDOW_INTERVALS = 10;

  /** Where a window starts: one model's figure at one scrape. */
  private sealed interface Base {
    Instant at();
  }

  /** The counter and the running gauge of one model at one scrape. */
  private record Point(double tokens, double running, Instant at) implements Base {}

  /** The inter-token latency histogram of one model at one scrape. */
  private record Latency(double sumSeconds, double count, Instant at) implements Base {}

  /**
   * Where the next window starts (null for a model measured from a throughput gauge), and the
   * last figure measured.
   */
  private record State(Base base, OptionalDouble rate) {}

  private final Map<String, State> byModel = new HashMap<>();
  private final Duration longestWindow;
  private final boolean counterGrowsInLumps;

  /**
   * Rates of a runtime scraped every {@code scrapeInterval}, whose counter grows at every decode
   * step or, when {@code counterGrowsInLumps}, possibly only every few scrapes.
   */
  DecodeRates(Duration scrapeInterval, boolean counterGrowsInLumps) {
    this.longestWindow = scrapeInterval.multipliedBy(LONGEST_WINDOW_INTERVALS);
    this.counterGrowsInLumps = counterGrowsInLumps;
  }

  /**
   * The loads of one healthy scrape taken at {@code at}, each with its decode rate where one is
   * measured; moves every window on to {@code at}, but for those kept open.
   */
  List<ModelLoad> measure(List<ModelReading> readings, Instant at) {
    Map<String, State> next = new HashMap<>();
    List<ModelLoad> loads = new ArrayList<>(readings.size());
    for (ModelReading reading : readings) {
      State before = byModel.get(reading.model());
      OptionalDouble last = before == null ? OptionalDouble.empty() : before.rate();
      State after;
      if (reading.interTokenLatency().isPresent()) {
        InterTokenLatency histogram = reading.interTokenLatency().get();
        after = afterLatency(before, new Latency(histogram.sumSeconds(), histogram.count(), at),
            last);
      } else if (reading.generationTokensTotal().isPresent()) {
        after = afterCounter(before, new Point(reading.generationTokensTotal().getAsDouble(),
            reading.load().runningRequests(), at), last);
      } else if (reading.generationThroughput().isPresent()) {
        after = new State(null, fromThroughput(reading.generationThroughput().getAsDouble(),
            reading.load().runningRequests(), last));
      } else {
        loads.add(reading.load());
        continue;
      }
      next.put(reading.model(), after);
      loads.add(reading.load().withDecodeTokensPerSecond(after.rate()));
    }
    byModel.clear();
    byModel.putAll(next);
    return loads;
  }

  /**
   * The state after a histogram reading {@code now}: a window closed where {@code before} has one
   * open from a histogram reading, else a new window from {@code now}.
   */
  private State afterLatency(State before, Latency now, OptionalDouble last) {
    if (before != null && before.base() instanceof Latency base && isOpen(base, now.at())) {
      return closeWindow(base, now, last);
    }
    return new State(now, last);
  }

  /**
   * The state after a counter reading {@code now}: a window closed (or kept open) where {@code
   * before} has one open from a counter reading, else a new window from {@code now}.
   */
  private State afterCounter(State before, Point now, OptionalDouble last) {
    if (before != null && before.base() instanceof Point base && isOpen(base, now.at())) {
      return closeWindow(before, base, now);
    }
    return new State(now, last);
  }

  /** Whether a scrape at {@code at} may close the window from {@code base}: not too long. */
  private boolean isOpen(Base base, Instant at) {
    return Duration.between(base.at(), at).compareTo(longestWindow) <= 0;
  }

  /** The state after the histogram window from {@code base} to {@code now}. */
  private static State closeWindow(Latency base, Latency now, OptionalDouble last) {
    double count = now.count() - base.count();
    double seconds = now.sumSeconds() - base.sumSeconds();
    if (count <= 0 || seconds <= 0) {
      // count < 0 or seconds < 0: restarted; count 0: no token; seconds 0 with tokens: broken.
      return new State(now, last);
    }
    return new State(now, plausible(count / seconds, last));
  }

  /** The state after the counter window from {@code before}'s {@code base} to {@code now}. */
  private State closeWindow(State before, Point base, Point now) {
    double tokens = now.tokens() - base.tokens();
    if (counterGrowsInLumps && tokens == 0 && base.running() > 0 && now.running() > 0) {
      return before; // not a token while requests ran: the window stays open
    }
    double meanRunning = (base.running() + now.running()) / 2;
    if (tokens <= 0 || meanRunning == 0) {
      return new State(now, before.rate()); // restarted (< 0) or idle
    }
    double seconds = Duration.between(base.at(), now.at()).toNanos() / 1e9;
    double rate = tokens / seconds / meanRunning;
    return new State(now, seconds > 0 ? plausible(rate, before.rate()) : before.rate());
  }

  /** The figure from a runtime's own throughput over its batch of {@code running} requests. */
  private static OptionalDouble fromThroughput(double tokensPerSecond, double running,
      OptionalDouble last) {
    return tokensPerSecond > 0 && running > 0 ? plausible(tokensPerSecond / running, last)
        : last;
  }

  /** {@code rate} when it can be a decode rate, else {@code last}. */
  private static OptionalDouble plausible(double rate, OptionalDouble last) {
    return rate > 0 && Double.isFinite(rate) && rate <= MAX_PLAUSIBLE ? OptionalDouble.of(rate)
        : last;
  }
}
