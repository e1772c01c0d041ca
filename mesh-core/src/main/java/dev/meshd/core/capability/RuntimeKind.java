package dev.meshd.core.capability;

import java.util.Locale;

/** Inference runtimes meshd knows how to read. The config names them in lower case. */
public enum RuntimeKind {
  VLLM,
  SGLANG,
  TGI;

  /** The name used in config files ({@code vllm}, {@code sglang}, {@code tgi}). */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
