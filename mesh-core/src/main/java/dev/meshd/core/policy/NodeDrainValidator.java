package dev.meshd.core.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks a {@link NodeDrain} before it is written and reports every problem at once, each naming
 * its field. Stateless and thread-safe.
 */
public final class NodeDrainValidator {

  /** A reason is a note for the next operator, shown in {@code describe-node}, not a document. */
  public static final int MAX_REASON_LENGTH = 256;

  private NodeDrainValidator() {}

  /** The problems of {@code drain}; empty when it may be stored. */
  public static List<FieldError> validate(NodeDrain drain) {
    List<FieldError> errors = new ArrayList<>();
    // Node ids are names in the same sense as documents': store keys, CLI arguments, labels.
    DocumentChecks.checkName("nodeId", drain.nodeId(), errors);
    if (drain.reason().length() > MAX_REASON_LENGTH) {
      errors.add(new FieldError("reason", drain.reason().length()
          + " characters (expected: at most " + MAX_REASON_LENGTH + ")"));
    } else if (drain.reason().chars().anyMatch(Character::isISOControl)) {
      // It ends up in one-line log entries and table cells.
      errors.add(new FieldError("reason",
          "contains a control character or line break (expected: one line of text)"));
    }
    if (drain.requestedAt() == null) {
      errors.add(new FieldError("requestedAt", "absent (expected: when the drain was asked for)"));
    }
    return List.copyOf(errors);
  }
}
