package dev.meshd.sim.config;

import java.util.List;

/**
 * The configs {@code mesh-sim generate --example NAME} writes: YAML with a comment on each choice,
 * so they double as documentation of the keys. Load levels are in docs/simulation.md. Stateless.
 */
public final class Examples {

  public static final List<String> NAMES = List.of("small", "medium", "large", "hetero",
      "fabric");

  private Examples() {}

  /** The example's YAML; {@link IllegalArgumentException} for an unknown name. */
  public static String yaml(String name) {
    return switch (name) {
      case "small" -> SMALL;
      case "medium" -> MEDIUM;
      case "large" -> LARGE;
      case "hetero" -> HETERO;
      case "fabric" -> FABRIC;
      default -> throw new IllegalArgumentException("\"" + name + "\" (expected: one of "
          + String.join(", ", NAMES) + ")");
    };
  }

  private static final String SIGNALS_AND_ROUTER = """
      router:
        stale-after: 2s            # the router's default (RouterSettings.DEFAULTS)
        stale-policy: penalize
        rebuild-interval: 2ms      # the router's CandidateTables.MIN_REBUILD_INTERVAL_NANOS
        hedging: {enabled: false, delay: 500ms}
        admission: {max-queue-per-target: 0, max-in-flight-per-tenant: 0}
      signals:
        runtime: {period: 500ms, intra-cell-delay: [1ms, 5ms], inter-cell-delay: [20ms, 80ms]}
        gpu: {period: 5s, intra-cell-delay: [50ms, 500ms], inter-cell-delay: [200ms, 2s]}
      network:
        intra-cell-rtt: 200us
        span: 60ms                 # cells spread over a continent
        max-height: 2ms
        noise: 0.1
        bandwidth-gbps: 100
      """;

  private static final String SMALL = """
      # InferMesh's "small" scenario, expressed for mesh-sim so results can be set side by side:
      # seed 42, 300 s, Poisson 800 rps, LLM only, 4 cells x 128 nodes of InferMesh's H100-80G
      # profile. It runs far below the fleet's capacity (see docs/simulation.md): every strategy
      # ties here; judge strategies on the hetero example at 50/80/95% load.
      seed: 42
      duration: 300s
      workload:
        arrivals: {process: poisson, rate: 800}
        types:
          - name: llm
            model: llm
            prompt-tokens: {dist: lognormal, mu: 3.8, sigma: 0.6}   # round(LogNormal(3.8, 0.6))
            output-tokens: {dist: lognormal, mu: 4.6, sigma: 0.7}   # round(LogNormal(4.6, 0.7))
        tenants: {count: 1, zipf-s: 0}
        sla: {base: 5s, per-tokens: 1000}                           # 5 s x max(1, tokens/1000)
      fleet:
        cells: 4
        nodes: [{count: 128, profile: H100-80G}]
        profiles:
          # InferMesh's H100-80G figures (they replace the built-in, realistic H100-80G here):
          # every token at 240,000 tokens/s shared by a 16-slot batch, 8 ms batch window.
          - {name: H100-80G, tokens-per-s: 240000, prefill-tokens-per-s: 240000,
             concurrency: 16, vram-gb: 80, cost-per-hour: 3.0, batch-window: 8ms}
      models:
        - name: llm
          weights-gb: 0
          kv-gb-per-request: 1     # InferMesh: 1 GB of KV cache per request
          placements: [{replicas: 0}]   # every worker
      """ + SIGNALS_AND_ROUTER;

  private static final String HETERO = """
      # A heterogeneous fleet (H100, A100, L40S; realistic profiles for an 8B model, see
      # docs/simulation.md) at 80% of its capacity. Change target-load to 0.5 or 0.95, or replay
      # the conversation trace with: arrivals: {process: trace, trace: builtin:azure-llm-2023-conv,
      # target-load: 0.8}.
      seed: 7
      duration: 120s
      workload:
        arrivals: {process: poisson, target-load: 0.8}
        types:
          - name: llm
            model: llama-3.1-8b
            # Shaped like the Azure conversation trace (prompt median ~1,000, output ~130).
            prompt-tokens: {dist: lognormal, mu: 6.9, sigma: 0.8}
            output-tokens: {dist: lognormal, mu: 4.8, sigma: 0.8}
            max-prompt-tokens: 8192
            max-output-tokens: 2048
        tenants: {count: 50, zipf-s: 1.1}
        sla: {base: 5s, per-tokens: 1000}
      fleet:
        cells: 4
        cells-per-region: 2
        nodes:
          - {count: 8, profile: H100-80G}
          - {count: 8, profile: A100-80G}
          - {count: 8, profile: L40S-48G}
      models:
        - name: llama-3.1-8b
          weights-gb: 16
          kv-bytes-per-token: 131072   # 32 layers x 8 KV heads x 128 dims x 2 (K, V) x 2 bytes
          placements: [{replicas: 0}]
      """ + SIGNALS_AND_ROUTER;

  private static final String MEDIUM = """
      # A mixed workload on a mixed fleet: LLM chat on H100 and A100, vision on L40S, speech
      # recognition on A100 MIG slices; MMPP arrivals (quiet and busy spells); 16 cells. Runs
      # at about 70% of capacity on average, with bursts above it.
      seed: 11
      duration: 300s
      workload:
        arrivals:
          process: mmpp
          target-load: 0.7
          states: [{rate: 1000, mean-dwell: 40s}, {rate: 2500, mean-dwell: 10s}]
        types:
          - {name: llm, model: llama-3.1-8b, weight: 6,
             prompt-tokens: {dist: lognormal, mu: 6.9, sigma: 0.8},
             output-tokens: {dist: lognormal, mu: 4.8, sigma: 0.8},
             max-prompt-tokens: 8192, max-output-tokens: 2048}
          # Vision: one image is ~576 tokens (LLaVA-style), plus a short question; short answers.
          - {name: vision, model: llava-7b, weight: 2,
             prompt-tokens: {dist: uniform, min: 600, max: 1400},
             output-tokens: {dist: lognormal, mu: 4.0, sigma: 0.6}}
          # ASR: 30 s of audio is 1,500 encoder frames; transcripts of ~100 tokens.
          - {name: asr, model: whisper-large-v3, weight: 2,
             prompt-tokens: {dist: constant, value: 1500},
             output-tokens: {dist: lognormal, mu: 4.5, sigma: 0.5}}
        tenants: {count: 200, zipf-s: 1.1}
      fleet:
        cells: 16
        cells-per-region: 4
        nodes:
          - {count: 8, profile: H100-80G}
          - {count: 8, profile: A100-80G}
          - {count: 8, profile: L40S-48G}
          - {count: 2, profile: A100-80G, mig-slices: 7}
      models:
        - name: llama-3.1-8b
          weights-gb: 16
          kv-bytes-per-token: 131072
          placements: [{replicas: 0, profiles: [H100-80G, A100-80G]}]
        - name: llava-7b
          weights-gb: 15
          kv-bytes-per-token: 524288   # 32 layers x 32 heads x 128 x 2 x 2 (no GQA)
          placements: [{replicas: 0, profiles: [L40S-48G]}]
        - name: whisper-large-v3
          weights-gb: 3.1
          kv-bytes-per-token: 65536
          placements: [{replicas: 0, profiles: [A100-80G/7]}]
      """ + SIGNALS_AND_ROUTER;

  private static final String LARGE = """
      # The issue's large fleet: 128 cells x 128 nodes x 8 H100 = 131,072 GPU workers, every one
      # serving. 128 models (copies of one 8B model: llm-0 ... llm-127) are each placed on 1,024
      # GPUs, 8 in every cell, so a decision scores its model's 1,024 candidates, as the
      # production router does for a placement. At 1% of capacity (about 90,000 requests/s,
      # 0.7 per GPU per second) for 10 s of arrivals, so that a strategy runs in a few minutes
      # on a 2-core machine (docs/simulation.md, "The large example"); raise target-load or
      # duration on a bigger one. Runs in the default 4 GB heap.
      seed: 3
      duration: 10s
      workload:
        arrivals: {process: poisson, target-load: 0.01}
        types:
          - {name: llm, model: llm, weight: 1,
             prompt-tokens: {dist: lognormal, mu: 3.8, sigma: 0.6},
             output-tokens: {dist: lognormal, mu: 4.6, sigma: 0.7}}
        tenants: {count: 1000, zipf-s: 1.1}
      fleet:
        cells: 128
        cells-per-region: 16
        nodes: [{count: 128, profile: H100-80G, gpus: 8}]
      models:
        - name: llm
          copies: 128                # llm-0 ... llm-127; a request goes to one of them, evenly
          weights-gb: 16
          kv-bytes-per-token: 131072
          placements: [{replicas: 1024}]
      """ + SIGNALS_AND_ROUTER.replace("runtime: {period: 500ms",
      "runtime: {period: 2s").replace("gpu: {period: 5s", "gpu: {period: 30s");

  private static final String FABRIC = """
      # A 70B model served by 2-stage pipelines (one H100 per stage) whose stage links differ, as
      # in a site that grew: 8 pipelines have both GPUs on one host (NVLink), 8 span two hosts of
      # the InfiniBand cluster (RDMA), 8 span two hosts without a shared RDMA fabric, where meshd
      # falls back to QUIC over the data-centre Ethernet. Two cells are two zones of one region.
      # Link figures and why: docs/simulation.md, "The fabric example". Issue 6's goal:
      # fabric_aware/hybrid p95 at least 1.5x better than the fabric-blind heuristic.
      seed: 5
      duration: 120s
      workload:
        arrivals: {process: poisson, target-load: 0.6}
        types:
          - {name: llm, model: llama-70b,
             prompt-tokens: {dist: lognormal, mu: 6.5, sigma: 0.8},
             output-tokens: {dist: lognormal, mu: 4.8, sigma: 0.8},
             max-prompt-tokens: 8192, max-output-tokens: 2048}
      fleet:
        cells: 2
        nodes: [{count: 12, profile: H100-80G-70B, gpus: 2}]
        profiles:
          # Estimates for a 70B model in FP8 per pipeline stage (docs/simulation.md).
          - {name: H100-80G-70B, tokens-per-s: 3000, prefill-tokens-per-s: 4000,
             request-tokens-per-s: 45, concurrency: 64, vram-gb: 80, cost-per-hour: 3.0}
      models:
        - name: llama-70b
          weights-gb: 70                 # FP8 weights, split over the two stages
          kv-bytes-per-token: 163840     # 80 layers x 8 KV heads x 128 x 2 x 1 byte (FP8)
          # Between stages vLLM sends each token's hidden state and residual, 2 x 8192 x BF16.
          placements:
            # NVLink 4: 450 GB/s per direction; a few us per NCCL send.
            - {replicas: 8, pipeline: {stages: 2, fabric: NVLINK, bandwidth-gbps: 3600,
               link-latency: 5us, activation-bytes-per-token: 32768}}
            # InfiniBand NDR, 400 Gb/s per port; ~10 us per NCCL send between hosts.
            - {replicas: 8, pipeline: {stages: 2, fabric: RDMA_IB, bandwidth-gbps: 400,
               link-latency: 10us, activation-bytes-per-token: 32768}}
            # meshd's QUIC stage link as measured (docs/benchmarks.md): ~150 MB/s on one
            # connection, RTT ~0.1-0.16 ms on loopback, plus a switched hop between hosts.
            - {replicas: 8, pipeline: {stages: 2, fabric: QUIC, bandwidth-gbps: 1.2,
               link-latency: 100us, activation-bytes-per-token: 32768}}
      """ + SIGNALS_AND_ROUTER.replace("span: 60ms                 # cells spread over a continent",
          "span: 2ms                  # two zones of one region");
}
