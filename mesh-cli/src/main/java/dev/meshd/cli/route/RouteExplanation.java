package dev.meshd.cli.route;

import dev.meshd.cli.output.Description;
import dev.meshd.cli.output.DurationText;
import dev.meshd.cli.output.Table;
import dev.meshd.proto.v1.RankedTarget;
import dev.meshd.proto.v1.RejectedTarget;
import dev.meshd.proto.v1.RouteResponse;
import dev.meshd.proto.v1.RouteTarget;
import dev.meshd.proto.v1.ScoreTerm;
import java.time.Duration;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The {@code route} table: a header (model, policy, strategy, answering router), the ranked
 * targets (RANK, NODE, RUNTIME, QUEUE, KV, DECODE, VRAM-FREE, AGE, SCORE, TERMS as value x
 * weight) and
 * the rejected ones with their reason. Stateless.
 */
final class RouteExplanation {

  private RouteExplanation() {}

  static String render(RouteResponse r) {
    StringBuilder out = new StringBuilder();
    out.append(new Description()
        .field("Model", r.getModel())
        .field("Policy", r.getPolicy().isEmpty() ? "(none: defaults)" : r.getPolicy())
        .field("Strategy", r.getStrategy())
        .field("Router", r.getRouterNode() + " (store revision " + r.getStoreRevision()
            + ", decided in " + micros(r.getDecisionTime()) + ")")
        .render());
    out.append('\n');
    Table ranked = Table.withColumns(
        "RANK", "NODE", "RUNTIME", "QUEUE", "KV", "DECODE", "VRAM-FREE", "AGE", "SCORE",
        "TERMS");
    for (RankedTarget t : r.getTargetsList()) {
      RouteTarget target = t.getTarget();
      ranked.addRow(Integer.toString(t.getRank()), target.getNodeId(), target.getRuntime(),
          queue(target), kv(target), decode(target), percent(target.getVramFreeRatio()),
          age(target),
          String.format(Locale.ROOT, "%.3f", t.getScore()),
          t.getTermsList().stream().map(RouteExplanation::term)
              .collect(Collectors.joining(" ")));
    }
    out.append(ranked.render());
    if (r.getRejectedCount() > 0) {
      out.append('\n');
      Table rejected = Table.withColumns("REJECTED", "RUNTIME", "REASON");
      for (RejectedTarget t : r.getRejectedList()) {
        rejected.addRow(t.getTarget().getNodeId(), orDash(t.getTarget().getRuntime()),
            t.getReason());
      }
      out.append(rejected.render());
    }
    return out.toString();
  }

  /** Reported queue, plus what this router sent since the signal: {@code 3 (+2)}. */
  private static String queue(RouteTarget t) {
    String reported = number(t.getQueueDepth());
    return t.getRoutedSinceSignal() == 0 ? reported
        : reported + " (+" + t.getRoutedSinceSignal() + ")";
  }

  private static String kv(RouteTarget t) {
    return t.hasKvCacheUsage() ? percent(t.getKvCacheUsage()) : "-";
  }

  /** Tokens/s per running request as measured at the runtime: {@code 41/s}. */
  private static String decode(RouteTarget t) {
    return t.hasDecodeTokensPerSecond()
        ? Math.round(t.getDecodeTokensPerSecond()) + "/s" : "-";
  }

  private static String age(RouteTarget t) {
    Duration age = Duration.ofSeconds(t.getSignalAge().getSeconds(), t.getSignalAge().getNanos());
    return age.toMillis() < 10_000 ? age.toMillis() + "ms" : DurationText.age(age);
  }

  private static String term(ScoreTerm term) {
    return term.getName() + "=" + String.format(Locale.ROOT, "%.2f", term.getValue()) + "x"
        + number(term.getWeight());
  }

  private static String micros(com.google.protobuf.Duration d) {
    long nanos = d.getSeconds() * 1_000_000_000L + d.getNanos();
    return nanos < 1_000_000 ? (nanos / 1000) + "us"
        : String.format(Locale.ROOT, "%.1fms", nanos / 1e6);
  }

  private static String percent(double ratio) {
    return Math.round(ratio * 100) + "%";
  }

  private static String number(double v) {
    return v == Math.rint(v) ? Long.toString((long) v)
        : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String orDash(String s) {
    return s.isEmpty() ? "-" : s;
  }
}
