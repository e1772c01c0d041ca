package dev.meshd.fabric.libfabric;

import dev.meshd.core.fabric.LinkLayer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The link layer under an RDMA device, which tells a {@code verbs} domain on InfiniBand from
 * one on RoCE: libfabric's names do not (both report fabrics like
 * {@code IB-0xfe80000000000000}). Injected so that tests need no RDMA device.
 */
@FunctionalInterface
public interface LinkLayerLookup {

  /** The link layer of RDMA device {@code device} (e.g. {@code mlx5_0}), if known. */
  Optional<LinkLayer> linkLayer(String device);

  /** Knows nothing: every verbs domain falls back to name rules and then InfiniBand. */
  static LinkLayerLookup none() {
    return device -> Optional.empty();
  }

  /**
   * Reads {@code <root>/class/infiniband/<device>/ports/<first port>/link_layer}; {@code root}
   * is {@code /sys} on a host.
   */
  static LinkLayerLookup sysfs(Path root) {
    Objects.requireNonNull(root, "root");
    return device -> {
      if (!device.matches("[A-Za-z0-9_.-]{1,64}")) {
        return Optional.empty();
      }
      Path ports = root.resolve("class").resolve("infiniband").resolve(device).resolve("ports");
      TreeSet<String> names = new TreeSet<>();
      try (DirectoryStream<Path> stream = Files.newDirectoryStream(ports)) {
        stream.forEach(p -> names.add(p.getFileName().toString()));
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      }
      if (names.isEmpty()) {
        return Optional.empty();
      }
      try (InputStream in = Files.newInputStream(
          ports.resolve(names.first()).resolve("link_layer"))) {
        String text = new String(in.readNBytes(256), StandardCharsets.UTF_8).strip();
        return LinkLayer.ofLabel(text);
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      }
    };
  }
}
