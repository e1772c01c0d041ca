package dev.meshd.sim.fleet;

import dev.meshd.router.LinkSummary;
import dev.meshd.sim.config.SimConfig;
import java.util.List;

/**
 * The workers of a simulated fleet, by index, with everything the service model and the routers
 * need about each, laid out in arrays: one worker is a GPU, a MIG slice, or a pipeline of GPUs
 * serving one model. Figures for pipelines follow docs/simulation.md: every decode step pays the
 * latency of its link crossings, and every token of the step (and every prompt token) the
 * transfer of its activations over each stage link. Immutable after construction (the arrays
 * are not written after {@link #build}).
 */
public final class Fleet {

  /** vLLM's default share of GPU memory it may use for weights and KV cache. */
  public static final double MEMORY_UTILIZATION = 0.9;

  public final int size;
  public final int cells;
  public final String[] name;
  public final String[] host;
  public final int[] cell;
  public final int[] region;
  public final int[] model;
  /** Position of the worker among its model's workers: its column in the routers' views. */
  public final int[] indexInModel;
  public final String[] profile;
  public final int[] gpus;
  /** GPUs the worker occupies: its stages, or a MIG slice's share of one GPU. */
  public final double[] gpuShare;
  /** Aggregate decode tokens/s when compute bounds the step; link costs come on top. */
  public final double[] tokensPerS;
  /** One request's decode ceiling from compute alone, tokens/s; link costs come on top. */
  public final double[] requestTokensPerS;
  /**
   * Seconds every decode step of a pipeline waits on its links whatever the batch: activations
   * cross each stage link and the sampled token returns to the first stage, one link latency
   * each. 0 for a worker on one GPU.
   */
  public final double[] stepLatencyS;
  /**
   * Seconds each token of a decode step spends on the pipeline's links: its activations over
   * every stage link at the link's bandwidth. 0 for a worker on one GPU.
   */
  public final double[] transferPerTokenS;
  /** Prefill tokens/s, the prompt's activations over every stage link included. */
  public final double[] prefillTokensPerS;
  public final int[] slots;
  public final long[] vramBytes;
  public final long[] weightsBytes;
  /** VRAM left for the KV cache. */
  public final long[] kvCapacityBytes;
  public final double[] costPerSecond;
  public final long[] batchWindowNanos;
  /** The slowest stage link of a pipeline; null for a replica on one GPU. */
  public final LinkSummary[] link;
  /** Workers of each model, in index order. */
  public final int[][] workersOfModel;

  private Fleet(int n, int cells) {
    size = n;
    this.cells = cells;
    name = new String[n];
    host = new String[n];
    cell = new int[n];
    region = new int[n];
    model = new int[n];
    indexInModel = new int[n];
    profile = new String[n];
    gpus = new int[n];
    gpuShare = new double[n];
    tokensPerS = new double[n];
    requestTokensPerS = new double[n];
    stepLatencyS = new double[n];
    transferPerTokenS = new double[n];
    prefillTokensPerS = new double[n];
    slots = new int[n];
    vramBytes = new long[n];
    weightsBytes = new long[n];
    kvCapacityBytes = new long[n];
    costPerSecond = new double[n];
    batchWindowNanos = new long[n];
    link = new LinkSummary[n];
    workersOfModel = new int[0][];
  }

  private Fleet(Fleet f, int[][] byModel) {
    size = f.size;
    cells = f.cells;
    name = f.name;
    host = f.host;
    cell = f.cell;
    region = f.region;
    model = f.model;
    indexInModel = f.indexInModel;
    profile = f.profile;
    gpus = f.gpus;
    gpuShare = f.gpuShare;
    tokensPerS = f.tokensPerS;
    requestTokensPerS = f.requestTokensPerS;
    stepLatencyS = f.stepLatencyS;
    transferPerTokenS = f.transferPerTokenS;
    prefillTokensPerS = f.prefillTokensPerS;
    slots = f.slots;
    vramBytes = f.vramBytes;
    weightsBytes = f.weightsBytes;
    kvCapacityBytes = f.kvCapacityBytes;
    costPerSecond = f.costPerSecond;
    batchWindowNanos = f.batchWindowNanos;
    link = f.link;
    workersOfModel = byModel;
  }

  /** The fleet a config describes (its placements must fit: the loader checks). */
  public static Fleet build(SimConfig config) {
    List<Placements.Assignment> assignments;
    try {
      assignments = Placements.allocate(config.fleet(), config.models());
    } catch (Placements.DoesNotFit e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    Fleet f = new Fleet(assignments.size(), config.fleet().cells());
    int[] perModel = new int[config.models().size()];
    for (int w = 0; w < f.size; w++) {
      Placements.Assignment a = assignments.get(w);
      SimConfig.Model m = config.models().get(a.model());
      SimConfig.PlacementGroup placement = m.placements().get(a.group());
      Placements.Unit first = a.units().getFirst();
      GpuProfile p = first.profile();
      int stages = a.units().size();
      f.cell[w] = first.cell();
      f.region[w] = first.cell() / config.fleet().cellsPerRegion();
      f.host[w] = "c" + first.cell() + "-g" + first.group() + "-n" + first.node();
      f.name[w] = f.host[w] + "-gpu" + first.gpu() + (p.name().contains("/") ? "-mig"
          + first.slice() : "") + (stages > 1 ? "-pp" + stages : "");
      f.model[w] = a.model();
      f.indexInModel[w] = perModel[a.model()]++;
      f.profile[w] = p.name();
      f.gpus[w] = stages;
      f.gpuShare[w] = stages / (double) config.fleet().groups().get(first.group()).migSlices();
      double decode = p.tokensPerS();
      double ceiling = p.soloTokensPerS();
      double prefill = p.prefillTokensPerS();
      if (placement.pipeline().isPresent()) {
        SimConfig.Pipeline pipe = placement.pipeline().get();
        int links = stages - 1;
        double latency = pipe.linkLatency().toNanos() / 1e9;
        double perTokenTransfer = links * pipe.activationBytesPerToken()
            / pipe.bandwidthBytesPerS();
        // A decode step sends the batch's activations through every link, one after the other
        // (stage i+1 computes on what stage i sent), and the last stage's sampled tokens back to
        // the first: links + 1 crossings, each paying the link latency once per step, and each
        // token's activations paying the transfer. A prompt's activations cross every link once.
        f.stepLatencyS[w] = (links + 1) * latency;
        f.transferPerTokenS[w] = perTokenTransfer;
        prefill = 1.0 / (1.0 / prefill + perTokenTransfer);
        // The probe's round trip over the link, which the production agent records (LinkStatus).
        f.link[w] = new LinkSummary(pipe.fabricClass(), pipe.bandwidthBytesPerS(),
            Math.round(2 * latency * 1e6));
      }
      f.tokensPerS[w] = decode;
      f.requestTokensPerS[w] = Math.min(ceiling, decode);
      f.prefillTokensPerS[w] = prefill;
      f.slots[w] = p.concurrency();
      f.vramBytes[w] = p.vramBytes() * stages;
      f.weightsBytes[w] = m.weightsBytes();
      f.kvCapacityBytes[w] = Math.max(0,
          (long) (p.vramBytes() * stages * MEMORY_UTILIZATION) - m.weightsBytes());
      f.costPerSecond[w] = p.costPerHour() * stages / 3600.0;
      f.batchWindowNanos[w] = p.batchWindow().toNanos();
    }
    int[][] byModel = new int[config.models().size()][];
    for (int m = 0; m < byModel.length; m++) {
      byModel[m] = new int[perModel[m]];
    }
    for (int w = 0; w < f.size; w++) {
      byModel[f.model[w]][f.indexInModel[w]] = w;
    }
    return new Fleet(f, byModel);
  }

  /**
   * One running request's decode rate, tokens/s, with {@code n} requests in worker {@code w}'s
   * batch: a step takes {@code max(n / tokensPerS, 1 / requestTokensPerS)} of compute, plus, on
   * a pipeline, its links' latency and {@code n} tokens' transfer.
   */
  public double decodeRate(int w, int n) {
    if (stepLatencyS[w] == 0 && transferPerTokenS[w] == 0) {
      return Math.min(tokensPerS[w] / n, requestTokensPerS[w]);
    }
    return 1.0 / (Math.max(n / tokensPerS[w], 1.0 / requestTokensPerS[w]) + stepLatencyS[w]
        + n * transferPerTokenS[w]);
  }

  /** Worker {@code w}'s decode tokens/s with every slot running. */
  public double fullBatchTokensPerS(int w) {
    if (stepLatencyS[w] == 0 && transferPerTokenS[w] == 0) {
      return Math.min(tokensPerS[w], slots[w] * requestTokensPerS[w]);
    }
    return slots[w] * decodeRate(w, slots[w]);
  }

  /** Total GPUs (a MIG slice counts as its share of one). */
  public double gpuCount() {
    double total = 0;
    for (double g : gpuShare) {
      total += g;
    }
    return total;
  }

  public double costPerSecond() {
    double total = 0;
    for (double c : costPerSecond) {
      total += c;
    }
    return total;
  }
}
