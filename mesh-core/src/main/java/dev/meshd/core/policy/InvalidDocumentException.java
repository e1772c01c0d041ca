package dev.meshd.core.policy;

import java.util.List;
import java.util.stream.Collectors;

/** A document failed validation (gRPC {@code INVALID_ARGUMENT}); nothing was written. */
public final class InvalidDocumentException extends PolicyStoreException {

  private final transient List<FieldError> errors;

  public InvalidDocumentException(DocumentKind kind, List<FieldError> errors) {
    super("invalid " + kind.label() + ": "
        + errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")), null);
    this.errors = List.copyOf(errors);
  }

  /** Every problem found, each naming its field. */
  public List<FieldError> errors() {
    return errors;
  }
}
