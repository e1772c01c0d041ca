package dev.meshd.core.policy;

/** The named document does not exist (gRPC {@code NOT_FOUND}). */
public final class NotFoundException extends PolicyStoreException {

  private final DocumentKind kind;
  private final String name;

  public NotFoundException(DocumentKind kind, String name) {
    super("not found: " + kind.label() + " \"" + name + "\"", null);
    this.kind = kind;
    this.name = name;
  }

  public DocumentKind kind() {
    return kind;
  }

  public String name() {
    return name;
  }
}
