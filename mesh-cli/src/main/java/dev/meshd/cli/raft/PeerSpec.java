package dev.meshd.cli.raft;

import dev.meshd.cli.connect.ServerAddress;
import java.util.Objects;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A Raft peer as {@code raft add-peer} takes it, {@code ID@HOST:PORT} (the form of
 * {@code raft.peers} in the agent config). Immutable.
 *
 * @param id the peer's node id: letters, digits, '.', '_' and '-'
 * @param address its Raft endpoint
 */
record PeerSpec(String id, ServerAddress address) {

  /** The characters of a node id; anything else could not appear in {@code raft.peers} either. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]+");

  PeerSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(address, "address");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          "id: \"" + id + "\" (expected: letters, digits, '.', '_' and '-')");
    }
  }

  /**
   * Parses {@code ID@HOST:PORT}.
   *
   * @throws IllegalArgumentException naming the value and what was expected
   */
  static PeerSpec parse(String value) {
    int at = value.indexOf('@');
    if (at < 0) {
      throw new IllegalArgumentException(
          "\"" + value + "\" (expected: ID@HOST:PORT, e.g. node4@127.0.0.1:7071)");
    }
    return new PeerSpec(value.substring(0, at), ServerAddress.parse(value.substring(at + 1)));
  }

  /** Picocli's converter: a bad form is a usage error (exit 2) that says what was expected. */
  static final class Converter implements ITypeConverter<PeerSpec> {
    @Override
    public PeerSpec convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
