package dev.meshd.core.policy;

import java.util.Objects;

/**
 * One problem in a document, named by its field path.
 *
 * <p>Immutable. {@link #toString()} is what an operator sees, e.g. {@code
 * stages[1].firstLayer: 30 (expected: 32, the layer after stages[0].lastLayer)}.
 *
 * @param field dotted path such as {@code admission.maxInFlightPerTenant} or {@code stages[2].index}
 * @param message the value and what was expected, {@code value (expected: ...)}
 */
public record FieldError(String field, String message) {

  public FieldError {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return field + ": " + message;
  }
}
