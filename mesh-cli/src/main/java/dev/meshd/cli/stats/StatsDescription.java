package dev.meshd.cli.stats;

import dev.meshd.cli.output.Description;
import dev.meshd.cli.output.DurationText;
import dev.meshd.cli.output.Gibibytes;
import dev.meshd.proto.v1.Stats;
import java.time.Duration;

/** The {@code stats} text: one {@code key: value} line per counter. Stateless. */
final class StatsDescription {

  private StatsDescription() {}

  static String render(Stats stats) {
    return new Description()
        .field("Node", stats.getNodeId())
        .field("Agent version", stats.getAgentVersion())
        .field("Uptime", stats.hasUptime() ? uptime(stats) : "")
        .field("Members alive", Integer.toString(stats.getMembersAlive()))
        .field("Members suspect", Integer.toString(stats.getMembersSuspect()))
        .field("Members dead", Integer.toString(stats.getMembersDead()))
        .field("Members left", Integer.toString(stats.getMembersLeft()))
        .field("Records rejected", Long.toString(stats.getRecordsRejected()))
        .field("Record version", Long.toString(stats.getRecordVersion()))
        .field("GPUs", Integer.toString(stats.getGpus()))
        .field("VRAM", Gibibytes.usedOfTotal(stats.getVramUsedBytes(), stats.getVramTotalBytes()))
        .render();
  }

  private static String uptime(Stats stats) {
    return DurationText.age(
        Duration.ofSeconds(stats.getUptime().getSeconds(), stats.getUptime().getNanos()));
  }
}
