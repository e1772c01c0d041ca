package dev.meshd.router.route;

import dev.meshd.core.fleet.FleetMember;
import dev.meshd.core.policy.Policy;
import dev.meshd.core.signal.SignalView;
import dev.meshd.router.Candidate;
import dev.meshd.router.CandidateColumns;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Each routed model's candidates as {@link CandidateColumns}, kept current as the fleet, the load
 * signals and the store change, so that a routing decision reads columns instead of building a
 * thousand candidates: building them (fleet walk, signal lookups, dispatch counts) costs ten
 * times what scoring them does.
 *
 * <p>Freshness, in order of what matters most:
 *
 * <ul>
 *   <li>Ages grow with the reader's clock without any rebuild ({@link CandidateColumns} keeps when
 *       each signal was taken), so a node that goes quiet still becomes stale on time.
 *   <li>Requests this router sends are counted into the columns as they are recorded, so
 *       consecutive decisions spread as they do on freshly built candidates.
 *   <li>A change of the routing table (policies, placements, drains: operator writes, rare)
 *       rebuilds before the next decision, so it applies to every request after it. So does a
 *       GPU reading whose figures the columns hold turning stale (a node whose signals stopped:
 *       its figures fall back to its record's), since no input changes when it does.
 *   <li>A change of the fleet snapshot or of the signals' {@link SignalView#version()} (many
 *       per second in a large fleet) is seen by the next decision, which rebuilds the model's
 *       columns off its own thread, at most every {@link #MIN_REBUILD_INTERVAL_NANOS}, and
 *       decides on the previous columns meanwhile; so load figures and member states reach
 *       decisions within about that interval plus one build. After {@link
 *       #SYNC_REBUILD_AFTER_NANOS} without a rebuild (the first request after a quiet spell) a
 *       decision rebuilds on its own thread first.
 * </ul>
 *
 * <p>Only models with candidates are kept, so requests for names nothing serves cost nothing to
 * remember. Thread-safe.
 */
public final class CandidateTables {

  /** Rebuilds of one model's columns are at least this far apart: 2 ms. */
  public static final long MIN_REBUILD_INTERVAL_NANOS = 2_000_000L;
  /** Columns this old with changed inputs are rebuilt before deciding: 100 ms. */
  public static final long SYNC_REBUILD_AFTER_NANOS = 100_000_000L;
  /** The longest a GPU reading is taken to stay fresh when timing a rebuild. */
  private static final Duration MAX_GPU_FRESHNESS = Duration.ofHours(1);

  private final CandidateBuilder builder;
  private final Supplier<RoutingTable> table;
  private final Supplier<List<FleetMember>> members;
  private final LongSupplier nanoTime;
  private final Executor rebuilder;
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  private final java.util.Set<String> rebuilding = ConcurrentHashMap.newKeySet();

  /**
   * One model's columns and what they were built from.
   *
   * @param exact false when a dispatch raced the build, so a count may be missing: rebuild soon
   * @param gpuFreshUntilNanos when the first GPU reading the columns took figures from turns
   *     stale (on the {@code nanoTime} clock), after which the node's figures are the record's;
   *     meaningless when {@code gpuExpires} is false (every GPU figure is the record's)
   */
  record Entry(RoutingTable table, List<FleetMember> members, long signalsVersion,
      CandidateColumns columns, Optional<Policy> policy, boolean exact, boolean gpuExpires,
      long gpuFreshUntilNanos) {

    boolean builtFrom(RoutingTable t, List<FleetMember> m, long signals) {
      // Identity: both are immutable snapshots replaced on change, and equals would walk them.
      return exact && table == t && members == m && signalsVersion == signals
          && signals != SignalView.UNVERSIONED;
    }

    /** A GPU reading behind these columns has turned stale: their figures are no longer so. */
    boolean gpuFiguresExpired(long nowNanos) {
      // A difference, not a comparison: nanoTime may wrap.
      return gpuExpires && nowNanos - gpuFreshUntilNanos > 0;
    }
  }

  /** Rebuilds in the background on a virtual thread each, one at a time per model. */
  public CandidateTables(CandidateBuilder builder, Supplier<RoutingTable> table,
      Supplier<List<FleetMember>> members, LongSupplier nanoTime) {
    this(builder, table, members, nanoTime, task -> Thread.ofVirtual()
        .name("candidate-table-rebuild").start(task));
  }

  CandidateTables(CandidateBuilder builder, Supplier<RoutingTable> table,
      Supplier<List<FleetMember>> members, LongSupplier nanoTime, Executor rebuilder) {
    this.builder = builder;
    this.table = table;
    this.members = members;
    this.nanoTime = nanoTime;
    this.rebuilder = rebuilder;
    builder.ledger().onDispatch(this::onDispatch);
  }

  /**
   * The columns to decide {@code model} on now; empty when nothing places or serves it (the
   * caller explains why the slow way).
   */
  Optional<Entry> current(String model) {
    RoutingTable t = table.get();
    List<FleetMember> m = members.get();
    long signals = builder.signalsVersion();
    long now = nanoTime.getAsLong();
    Entry entry = entries.get(model);
    boolean expired = entry != null && entry.gpuFiguresExpired(now);
    if (entry != null && !expired && entry.builtFrom(t, m, signals)) {
      return Optional.of(entry);
    }
    // A GPU reading that turned stale changes figures without any input changing, like a store
    // change: rebuild before deciding, so that columns equal freshly built candidates.
    if (entry == null || entry.table() != t || expired
        || now - entry.columns().builtAtNanos() > SYNC_REBUILD_AFTER_NANOS) {
      return Optional.ofNullable(rebuild(model));
    }
    if (now - entry.columns().builtAtNanos() >= MIN_REBUILD_INTERVAL_NANOS
        && rebuilding.add(model)) {
      try {
        rebuilder.execute(() -> {
          try {
            rebuild(model);
          } finally {
            rebuilding.remove(model);
          }
        });
      } catch (RuntimeException e) {
        rebuilding.remove(model); // the executor refused (shutting down): the old columns serve
      }
    }
    return Optional.of(entry);
  }

  /** Builds {@code model}'s columns from the inputs of now and publishes them; null if none. */
  private Entry rebuild(String model) {
    // Read the inputs first: a change that lands during the build then shows as a new input.
    RoutingTable t = table.get();
    List<FleetMember> m = members.get();
    long signals = builder.signalsVersion();
    long dispatchesBefore = builder.ledger().dispatches();
    long builtAt = nanoTime.getAsLong();
    CandidateBuilder.Built built = builder.buildTimed(model, t, m);
    List<Candidate> candidates = built.candidates();
    if (candidates.isEmpty()) {
      entries.remove(model);
      return null;
    }
    CandidateColumns columns = CandidateColumns.of(candidates, builtAt);
    // Ages were taken at or after builtAt, so counting from it never keeps a reading too long;
    // a freshness beyond an hour (a sender announcing a very long read interval) is cut to one,
    // which costs at most a rebuild.
    boolean gpuExpires = built.gpuFiguresFor().isPresent();
    long gpuFreshUntil = builtAt + built.gpuFiguresFor()
        .map(d -> d.isNegative() ? Duration.ZERO : d)
        .map(d -> d.compareTo(MAX_GPU_FRESHNESS) > 0 ? MAX_GPU_FRESHNESS : d)
        .orElse(Duration.ZERO).toNanos();
    Entry entry = new Entry(t, m, signals, columns,
        PolicyMatcher.match(model, t.policies()), true, gpuExpires, gpuFreshUntil);
    entries.put(model, entry);
    if (builder.ledger().dispatches() != dispatchesBefore) {
      // A dispatch recorded during the build may be in neither the counts read nor the new
      // columns' counters: decide on these columns, but build them again soon.
      entry = new Entry(t, m, signals, columns, entry.policy(), false, gpuExpires,
          gpuFreshUntil);
      entries.put(model, entry);
    }
    return entry;
  }

  private void onDispatch(String targetKey) {
    for (Entry entry : entries.values()) {
      entry.columns().addRouted(targetKey);
    }
  }
}
