package dev.meshd.core.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads {@code gpus:} into a {@link GpusConfig}. Stateless. */
final class GpusSection {

  static final List<String> KEYS = List.of("source", "simulated", "nvidia-smi", "nvml-library",
      "refresh-interval", "probe-timeout", "record-usage-interval");

  static final List<String> SIMULATED_KEYS = List.of("model", "count", "vram-gb", "mig-profile");

  private static final Map<String, GpuSourceSetting> SOURCES = new LinkedHashMap<>();

  static {
    for (GpuSourceSetting source : GpuSourceSetting.values()) {
      SOURCES.put(source.configName(), source);
    }
  }

  private GpusSection() {}

  static GpusConfig read(MappingReader gpus, Path configDir) {
    // auto: a real GPU node needs no gpus: section; a node without NVIDIA GPUs reports none.
    GpuSourceSetting source = gpus.get("source").oneOf(SOURCES).orElse(GpuSourceSetting.AUTO);
    ConfigValue simulatedValue = gpus.get("simulated");
    List<SimulatedGpuSpec> simulated = new ArrayList<>();
    boolean simulatedOk = true;
    for (ConfigValue item : simulatedValue.list()) {
      Optional<SimulatedGpuSpec> spec = readSpec(item);
      spec.ifPresent(simulated::add);
      simulatedOk &= spec.isPresent();
    }
    boolean wrongType = simulatedValue.isPresent() && !simulatedValue.isList();
    if (source == GpuSourceSetting.SIMULATED && simulated.isEmpty() && simulatedOk
        && !wrongType) {
      simulatedValue.error((simulatedValue.isPresent() ? "empty" : "missing")
          + " (expected: a list such as [{model: H100-80GB, count: 8, vram-gb: 80}]"
          + " when gpus.source is simulated)");
    }
    // Bare names are looked up on PATH (or by the dynamic loader) at probe time, as a shell
    // would; only a value with a '/' is a file path relative to the config.
    Path nvidiaSmi = gpus.get("nvidia-smi").parsed(s -> tool(s, configDir))
        .orElse(Path.of("nvidia-smi"));
    // The soname the driver installs (libnvidia-ml.so without .1 exists only with dev packages).
    String nvmlLibrary = gpus.get("nvml-library").parsed(s -> tool(s, configDir).toString())
        .orElse("libnvidia-ml.so.1");
    // 5 s: usage figures feed metrics and the signal path to routers, which judge their age by
    // this interval; faster would only add driver calls (and, with nvidia-smi, a process each).
    Duration refresh = gpus.get("refresh-interval").duration().orElse(Duration.ofSeconds(5));
    // 10 s: a healthy nvidia-smi answers in well under a second; a hung driver never does.
    Duration timeout = gpus.get("probe-timeout").duration().orElse(Duration.ofSeconds(10));
    Duration recordUsage = gpus.get("record-usage-interval").duration()
        .orElse(GpusConfig.DEFAULT_RECORD_USAGE_INTERVAL);
    return new GpusConfig(source, simulated, nvidiaSmi, nvmlLibrary, refresh, timeout,
        recordUsage);
  }

  /**
   * A tool or library: a bare name stays bare; a path is made absolute against the config's
   * directory.
   */
  private static Path tool(String text, Path configDir) {
    String s = text.strip();
    try {
      if (s.isEmpty()) {
        throw new InvalidPathException(s, "empty");
      }
      return s.contains("/") ? configDir.resolve(s).toAbsolutePath().normalize() : Path.of(s);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(YamlNode.quote(text)
          + " (expected: a program or library name, or a path to one)");
    }
  }

  private static Optional<SimulatedGpuSpec> readSpec(ConfigValue item) {
    Optional<MappingReader> mapping = item.mappingIfValid(SIMULATED_KEYS);
    if (mapping.isEmpty()) {
      return Optional.empty();
    }
    MappingReader spec = mapping.get();
    Optional<String> model = spec.required("model", "a product name such as H100-80GB")
        .nonBlankText();
    // One line per GPU model: count says how many of that model the node has.
    ConfigValue countValue = spec.get("count");
    Optional<Integer> count = countValue.isPresent() ? countValue.integer(1) : Optional.of(1);
    Optional<Double> vramGb =
        spec.required("vram-gb", "memory per GPU in decimal GB, e.g. 80").positiveNumber();
    String migProfile = spec.get("mig-profile").text().orElse("");
    if (model.isEmpty() || count.isEmpty() || vramGb.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new SimulatedGpuSpec(model.get(), count.get(), vramGb.get(), migProfile));
    } catch (IllegalArgumentException e) {
      item.error(e.getMessage());
      return Optional.empty();
    }
  }
}
