package dev.meshd.fabric.libfabric.internal;

/**
 * A libfabric call returned an error: the function, the error number (positive, as in
 * {@code fi_errno.h}) and {@code fi_strerror}'s text. The message reads like libfabric's own
 * tools print it: {@code fi_getinfo: -61 No data available}.
 */
public final class FabricCallException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String function;
  private final int errno;
  private final String text;

  public FabricCallException(String function, int errno, String text) {
    super(function + ": -" + errno + " " + text);
    this.function = function;
    this.errno = errno;
    this.text = text;
  }

  /** The libfabric function, e.g. {@code fi_av_insert}. */
  public String function() {
    return function;
  }

  /** The positive error number, e.g. 61 for {@code FI_ENODATA}. */
  public int errno() {
    return errno;
  }

  /** {@code fi_strerror}'s text, e.g. {@code No data available}. */
  public String text() {
    return text;
  }
}
