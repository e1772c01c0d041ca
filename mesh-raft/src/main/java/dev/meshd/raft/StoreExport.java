package dev.meshd.raft;

import dev.meshd.core.policy.FieldError;
import dev.meshd.core.policy.NodeDrain;
import dev.meshd.core.policy.NodeDrainValidator;
import dev.meshd.core.policy.Placement;
import dev.meshd.core.policy.PlacementValidator;
import dev.meshd.core.policy.Policy;
import dev.meshd.core.policy.PolicyValidator;
import dev.meshd.raft.internal.SnapshotDocument;
import dev.meshd.raft.internal.StoreCodec;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A saved copy of the whole store: the JSON of a snapshot document (format 1, drains included;
 * the change history is left out, a restored store starts a new one) with its revision. What
 * `raft snapshot save` writes and `mesh-agent restore` reads. Immutable.
 *
 * @param revision the store revision it was taken at
 * @param appliedIndex the Raft log index of the replica it was taken from; -1 after {@link #parse}
 * @param json the saved store
 */
public record StoreExport(long revision, long appliedIndex, byte[] json) {

  public StoreExport {
    Objects.requireNonNull(json, "json");
    json = json.clone();
  }

  @Override
  public byte[] json() {
    return json.clone();
  }

  /** Documents in it: policies, placements and drains. */
  public int documentCount() {
    SnapshotDocument document = StoreCodec.decode(json, SnapshotDocument.class);
    return document.policies().size() + document.placements().size()
        + document.drains().size();
  }

  static StoreExport of(SnapshotDocument document, long appliedIndex) {
    return new StoreExport(document.revision(), appliedIndex,
        StoreCodec.encode(document.withoutHistory()));
  }

  /** The saved document, for a restore. */
  SnapshotDocument document() {
    return StoreCodec.decode(json, SnapshotDocument.class);
  }

  /**
   * Reads and checks a saved store: JSON of the expected format, every document valid, no name
   * twice, no document newer than the store revision.
   *
   * @throws InvalidExportException saying what is wrong
   */
  public static StoreExport parse(byte[] json) throws InvalidExportException {
    SnapshotDocument document;
    try {
      document = StoreCodec.decode(json, SnapshotDocument.class);
    } catch (UncheckedIOException | IllegalArgumentException e) {
      throw new InvalidExportException("not JSON of a saved store: " + rootMessage(e), e);
    }
    if (document == null) {
      throw new InvalidExportException("empty file (expected: a saved store)", null);
    }
    if (document.format() != SnapshotDocument.FORMAT) {
      throw new InvalidExportException("format " + document.format() + " (expected: "
          + SnapshotDocument.FORMAT + ")", null);
    }
    if (document.revision() < 0) {
      throw new InvalidExportException(
          "revision " + document.revision() + " (expected: >= 0)", null);
    }
    Set<String> names = new HashSet<>();
    for (Policy policy : document.policies()) {
      check("policy", policy == null ? null : policy.name(),
          policy == null ? List.of() : PolicyValidator.validate(policy),
          policy == null ? 0 : policy.revision(), document.revision(), names);
    }
    names.clear();
    for (Placement placement : document.placements()) {
      check("placement", placement == null ? null : placement.name(),
          placement == null ? List.of() : PlacementValidator.validate(placement),
          placement == null ? 0 : placement.revision(), document.revision(), names);
    }
    names.clear();
    for (NodeDrain drain : document.drains()) {
      check("drain", drain == null ? null : drain.nodeId(),
          drain == null ? List.of() : NodeDrainValidator.validate(drain),
          drain == null ? 0 : drain.revision(), document.revision(), names);
    }
    return of(document, -1);
  }

  private static void check(String kind, String name, List<FieldError> errors, long revision,
      long storeRevision, Set<String> seen) throws InvalidExportException {
    if (name == null) {
      throw new InvalidExportException("a " + kind + " entry is null", null);
    }
    if (!errors.isEmpty()) {
      throw new InvalidExportException(kind + " \"" + name + "\": " + errors, null);
    }
    if (!seen.add(name)) {
      throw new InvalidExportException(kind + " \"" + name + "\" appears twice", null);
    }
    if (revision < 1 || revision > storeRevision) {
      throw new InvalidExportException(kind + " \"" + name + "\": revision " + revision
          + " (expected: 1 to the store revision " + storeRevision + ")", null);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = String.valueOf(t.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
