package dev.meshd.core.fabric;

/**
 * One NVLink of one GPU as {@code nvidia-smi nvlink -s} (or NVML) reports it. That tool names no
 * peer,
 * so lanes say how many links a GPU has up and how fast, while {@link GpuPeerLink} says which
 * GPUs they join. Immutable.
 *
 * @param gpu GPU index
 * @param link link number on that GPU, from 0
 * @param active false for a link reported as {@code <inactive>}
 * @param bytesPerSecond the link's speed in bytes per second ({@code 25.781 GB/s} is
 *     25,781,000,000); 0 for an inactive link, or when the source cannot say
 */
public record NvLinkLane(int gpu, int link, boolean active, long bytesPerSecond) {

  public NvLinkLane {
    if (gpu < 0) {
      throw new IllegalArgumentException("gpu: " + gpu + " (expected: >= 0)");
    }
    if (link < 0) {
      throw new IllegalArgumentException("link: " + link + " (expected: >= 0)");
    }
    if (bytesPerSecond < 0 || (!active && bytesPerSecond != 0)) {
      throw new IllegalArgumentException("bytesPerSecond: " + bytesPerSecond
          + " (expected: >= 0, and 0 for an inactive link)");
    }
  }
}
