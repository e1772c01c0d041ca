package dev.meshd.sim.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a run's results: {@code results.json} (everything), {@code results.csv} (one row per
 * strategy and request type), {@code latency.svg} (the latency distributions per strategy, a
 * hand-written SVG) and the comparison table printed on the terminal. Stateless.
 */
public final class Reports {

  private static final double[] QUANTILES = {0.5, 0.95, 0.99, 0.999};

  private Reports() {}

  /**
   * The comparison table: one line per strategy, all request types together; with {@code
   * round_robin} among the results, each strategy's p95 and p99 as a share of its.
   */
  public static String table(List<RunResult> results) {
    RunResult baseline = results.stream().filter(r -> r.strategy().equals("round_robin"))
        .findFirst().orElse(null);
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT,
        "%-13s %9s %9s %9s %9s %9s %9s %8s %7s %7s %9s %8s %7s%s%n", "STRATEGY", "P50", "P95",
        "P99", "P999", "TTFT_P95", "WAIT_P95", "REQ/S", "GPU%", "VRAM%", "$/1K_TOK",
        "REJECTED", "SLA%", baseline == null ? "" : "  P95/RR  P99/RR"));
    for (RunResult r : results) {
      TypeStats a = r.all();
      String ratios = "";
      if (baseline != null) {
        LatencyHistogram rr = baseline.all().endToEnd;
        ratios = String.format(Locale.ROOT, "  %6.2f  %6.2f",
            a.endToEnd.quantileNanos(0.95) / (double) Math.max(1, rr.quantileNanos(0.95)),
            a.endToEnd.quantileNanos(0.99) / (double) Math.max(1, rr.quantileNanos(0.99)));
      }
      out.append(String.format(Locale.ROOT,
          "%-13s %9s %9s %9s %9s %9s %9s %8.1f %7.1f %7.1f %9.5f %8d %7.2f%s%n", r.strategy(),
          ms(a.endToEnd.quantileNanos(0.5)), ms(a.endToEnd.quantileNanos(0.95)),
          ms(a.endToEnd.quantileNanos(0.99)), ms(a.endToEnd.quantileNanos(0.999)),
          ms(a.firstToken.quantileNanos(0.95)), ms(a.queueWait.quantileNanos(0.95)),
          r.requestsPerSecond(), 100 * r.gpuUtilization(), 100 * r.vramUseMean(),
          r.costPer1kTokens(), a.rejectedTotal(), 100 * a.slaAttainment(), ratios));
    }
    if (results.stream().anyMatch(r -> !r.links().isEmpty())) {
      out.append(String.format(Locale.ROOT, "%nserved by pipelines over (share of completed, "
          + "p50 / p95 there):%n"));
      for (RunResult r : results) {
        out.append(String.format(Locale.ROOT, "%-13s", r.strategy()));
        for (TypeStats t : r.links()) {
          out.append(String.format(Locale.ROOT, "  %s %4.1f%% %s / %s", t.type,
              100.0 * t.completed / Math.max(1, r.all().completed),
              ms(t.endToEnd.quantileNanos(0.5)), ms(t.endToEnd.quantileNanos(0.95))));
        }
        out.append(String.format(Locale.ROOT, "%n"));
      }
    }
    return out.toString();
  }

  /** A latency for the table: ms below 10 s, s above. */
  static String ms(long nanos) {
    return nanos < 10_000_000_000L ? String.format(Locale.ROOT, "%.1fms", nanos / 1e6)
        : String.format(Locale.ROOT, "%.2fs", nanos / 1e9);
  }

  public static void writeAll(Path dir, String scenario, double load, List<RunResult> results)
      throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("results.json"), json(scenario, load, results));
    Files.writeString(dir.resolve("results.csv"), csv(results));
    Files.writeString(dir.resolve("latency.svg"), svg(scenario, results));
  }

  public static String json(String scenario, double load, List<RunResult> results)
      throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("scenario", scenario);
    root.put("offered_load", load);
    ArrayNode runs = root.putArray("strategies");
    for (RunResult r : results) {
      ObjectNode n = runs.addObject();
      n.put("strategy", r.strategy());
      n.put("offered_rps", r.offeredRate());
      n.put("makespan_s", r.makespanSeconds());
      n.put("throughput_rps", r.requestsPerSecond());
      n.put("throughput_tokens_per_s", r.tokensPerSecond());
      n.put("gpu_utilization", r.gpuUtilization());
      n.put("vram_use_mean", r.vramUseMean());
      n.put("vram_use_peak", r.vramUsePeak());
      n.put("cost_per_1k_tokens", r.costPer1kTokens());
      n.put("events", r.events());
      n.put("signal_deliveries", r.signalDeliveries());
      n.put("events_per_s", r.eventsPerSecond());
      n.put("decisions", r.decisions());
      n.put("wall_s", r.wallNanos() / 1e9);
      n.put("cpu_s", r.cpuNanos() / 1e9);
      n.put("events_per_cpu_s", r.eventsPerCpuSecond());
      ArrayNode errors = n.putArray("conservation_errors");
      r.conservationErrors().forEach(errors::add);
      stats(n.putObject("all"), r.all());
      ObjectNode byType = n.putObject("by_type");
      for (TypeStats t : r.types()) {
        stats(byType.putObject(t.type), t);
      }
      if (!r.links().isEmpty()) {
        ObjectNode byLink = n.putObject("by_link");
        for (TypeStats t : r.links()) {
          stats(byLink.putObject(t.type), t);
        }
      }
    }
    return mapper.writeValueAsString(root) + "\n";
  }

  private static void stats(ObjectNode n, TypeStats s) {
    n.put("arrived", s.arrived);
    n.put("completed", s.completed);
    n.put("rejected", s.rejectedTotal());
    ObjectNode reasons = n.putObject("rejected_by_reason");
    for (int i = 0; i < TypeStats.REJECTIONS.length; i++) {
      reasons.put(TypeStats.REJECTIONS[i], s.rejected[i]);
    }
    n.put("sla_attainment", s.slaAttainment());
    n.put("prompt_tokens", s.promptTokens);
    n.put("output_tokens", s.outputTokens);
    n.put("hedged", s.hedged);
    n.put("hedge_win_rate", s.hedgeWinRate());
    n.put("wasted_tokens", s.wastedTokens);
    quantiles(n.putObject("latency_ms"), s.endToEnd);
    quantiles(n.putObject("ttft_ms"), s.firstToken);
    quantiles(n.putObject("queue_wait_ms"), s.queueWait);
  }

  private static void quantiles(ObjectNode n, LatencyHistogram h) {
    n.put("mean", h.meanNanos() / 1e6);
    for (double q : QUANTILES) {
      n.put(label(q), h.quantileNanos(q) / 1e6);
    }
    n.put("max", h.maxNanos() / 1e6);
  }

  private static String label(double q) {
    return q == 0.999 ? "p999" : "p" + Math.round(q * 100);
  }

  public static String csv(List<RunResult> results) {
    StringBuilder out = new StringBuilder("strategy,type,arrived,completed,rejected,"
        + "p50_ms,p95_ms,p99_ms,p999_ms,ttft_p50_ms,ttft_p95_ms,ttft_p99_ms,ttft_p999_ms,"
        + "queue_wait_p50_ms,queue_wait_p95_ms,queue_wait_p99_ms,queue_wait_p999_ms,"
        + "throughput_rps,gpu_utilization,vram_use_mean,hedged,hedge_win_rate,wasted_tokens,"
        + "cost_per_1k_tokens,sla_attainment\n");
    for (RunResult r : results) {
      List<TypeStats> rows = new ArrayList<>(r.types());
      rows.add(r.all());
      for (TypeStats s : rows) {
        out.append(r.strategy()).append(',').append(s.type).append(',').append(s.arrived)
            .append(',').append(s.completed).append(',').append(s.rejectedTotal());
        for (LatencyHistogram h : new LatencyHistogram[] {s.endToEnd, s.firstToken,
            s.queueWait}) {
          for (double q : QUANTILES) {
            out.append(',').append(num(h.quantileNanos(q) / 1e6));
          }
        }
        out.append(',').append(num(s.completed / r.makespanSeconds()))
            .append(',').append(num(r.gpuUtilization()))
            .append(',').append(num(r.vramUseMean()))
            .append(',').append(s.hedged)
            .append(',').append(num(s.hedgeWinRate()))
            .append(',').append(num(s.wastedTokens))
            .append(',').append(num(r.costPer1kTokens()))
            .append(',').append(num(s.slaAttainment())).append('\n');
      }
    }
    return out.toString();
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.6g", v);
  }

  /**
   * End-to-end latency per strategy in two panels on one log-scale time axis: above, the
   * distribution's tail (the share of requests slower than x, log scale down to 1 in 10,000, so
   * p90, p99 and p999 are evenly spaced); below, for each strategy a bar from p50 to p99 with
   * ticks at p50, p95, p99 and p999. Hand-written SVG.
   */
  public static String svg(String scenario, List<RunResult> results) {
    int width = 960;
    int left = 140;
    int right = 40;
    int top = 50;
    int curveHeight = 320;
    int rowHeight = 34;
    int barsTop = top + curveHeight + 60;
    int height = barsTop + rowHeight * results.size() + 50;
    long lo = Long.MAX_VALUE;
    long hi = 1;
    for (RunResult r : results) {
      LatencyHistogram h = r.all().endToEnd;
      if (h.count() > 0) {
        lo = Math.min(lo, Math.max(1_000, h.quantileNanos(0.01)));
        hi = Math.max(hi, h.maxNanos());
      }
    }
    if (lo == Long.MAX_VALUE) {
      lo = 1_000_000;
    }
    double logLo = Math.floor(Math.log10(lo / 1e6));
    double logHi = Math.ceil(Math.log10(Math.max(hi, lo + 1) / 1e6));
    if (logHi <= logLo) {
      logHi = logLo + 1;
    }
    double plot = width - left - right;
    final double fLo = logLo;
    final double fHi = logHi;
    java.util.function.DoubleUnaryOperator x = msValue -> left
        + (Math.log10(Math.max(msValue, Math.pow(10, fLo))) - fLo) / (fHi - fLo) * plot;
    // Tail panel: y = -log10(share slower), 0 (everyone) at the top to 4 (1 in 10,000).
    java.util.function.DoubleUnaryOperator y = slower -> top
        + Math.min(4.0, -Math.log10(Math.max(slower, 1e-4))) / 4.0 * curveHeight;
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\""
        + " height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n", width, height));
    s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"15\">"
        + "End-to-end latency by strategy: %s</text>%n", 20, escape(scenario)));
    for (double e = logLo; e <= logHi; e++) {
      double px = x.applyAsDouble(Math.pow(10, e));
      s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\""
          + " stroke=\"#ddd\"/>%n<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
          px, top, px, height - 40, px, height - 24, axisLabel(Math.pow(10, e))));
    }
    String[] tailLabels = {"all", "p90", "p99", "p99.9", "p99.99"};
    for (int k = 0; k <= 4; k++) {
      double py = top + k / 4.0 * curveHeight;
      s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\""
          + " stroke=\"#eee\"/>%n<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
          left, py, width - right, py, left - 8, py + 4, tailLabels[k]));
    }
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#444\">share of"
        + " requests slower than x (log scale): a curve further left is faster</text>%n", left,
        top - 8));
    String[] colors = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"};
    for (int i = 0; i < results.size(); i++) {
      LatencyHistogram h = results.get(i).all().endToEnd;
      String color = colors[i % colors.length];
      StringBuilder path = new StringBuilder();
      double previous = 1.0;
      for (double[] point : h.cdf()) {
        double px = x.applyAsDouble(point[0] / 1e6);
        path.append(path.isEmpty() ? "M" : " L").append(String.format(Locale.ROOT, "%.1f,%.1f",
            px, y.applyAsDouble(previous)));
        double slower = 1.0 - point[1];
        path.append(String.format(Locale.ROOT, " L%.1f,%.1f", px, y.applyAsDouble(slower)));
        previous = slower;
        if (slower < 1e-4) {
          break;
        }
      }
      s.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\""
          + " stroke-width=\"2\"/>%n", path, color));
      s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\""
          + " fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>%n", width - right - 130,
          top + 8 + 18 * i, color, width - right - 112, top + 18 + 18 * i,
          escape(results.get(i).strategy())));
    }
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#444\">p50 to p99"
        + " (bar), ticks at p50, p95, p99, p999</text>%n", left, barsTop - 12));
    for (int i = 0; i < results.size(); i++) {
      RunResult r = results.get(i);
      LatencyHistogram h = r.all().endToEnd;
      int yy = barsTop + i * rowHeight + rowHeight / 2;
      String color = colors[i % colors.length];
      double p50 = x.applyAsDouble(h.quantileNanos(0.5) / 1e6);
      double p99 = x.applyAsDouble(h.quantileNanos(0.99) / 1e6);
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s"
          + "</text>%n", left - 10, yy + 4, escape(r.strategy())));
      s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\""
          + " height=\"12\" fill=\"%s\" fill-opacity=\"0.35\"/>%n", p50, yy - 6,
          Math.max(1, p99 - p50), color));
      for (double q : QUANTILES) {
        double px = x.applyAsDouble(h.quantileNanos(q) / 1e6);
        s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\""
            + " stroke=\"%s\" stroke-width=\"2\"><title>%s %s</title></line>%n", px, yy - 9, px,
            yy + 9, color, label(q), ms(h.quantileNanos(q))));
      }
      s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"#444\">p99 %s"
          + "</text>%n", Math.min(width - right - 70, p99 + 6), yy + 4,
          ms(h.quantileNanos(0.99))));
    }
    s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">latency (ms, log scale)"
        + "</text>%n", width / 2 - 60, height - 6));
    s.append("</svg>\n");
    return s.toString();
  }

  private static String axisLabel(double ms) {
    return ms >= 1 ? String.format(Locale.ROOT, "%.0f", ms)
        : String.format(Locale.ROOT, "%.3g", ms);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
