package dev.meshd.bench;

import java.util.Arrays;

/**
 * {@code bin/mesh-bench gossip|footprint|policy|router|signals|ingress|fabric-quic|
 * fabric-libfabric|fabric-rdma|fabric-negotiate [args]}: runs one benchmark and prints its
 * figures.
 */
public final class MeshBench {

  private MeshBench() {}

  private static String[] withBenchmark(String benchmark, String[] jmhArgs) {
    String[] all = Arrays.copyOf(jmhArgs, jmhArgs.length + 1);
    all[jmhArgs.length] = benchmark;
    return all;
  }

  public static void main(String[] args) throws Exception {
    String which = args.length == 0 ? "" : args[0];
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    switch (which) {
      case "gossip" -> GossipPropagationBench.main(rest);
      case "footprint" -> AgentFootprintBench.main(rest);
      case "policy" -> PolicyStoreBench.main(rest);
      case "ingress" -> IngressLatencyBench.main(rest);
      case "signals" -> SignalAgeBench.main(rest);
      case "fabric-quic" -> QuicTransportBench.main(rest);
      case "fabric-libfabric" -> LibfabricTcpBench.main(rest);
      case "fabric-rdma" -> LibfabricRmaBench.main(rest);
      case "fabric-negotiate" -> FabricNegotiationBench.main(rest);
      // JMH's own command line: e.g. -p targets=1000 -p strategy=hybrid, -f 1, -rf json.
      case "router" -> org.openjdk.jmh.Main.main(withBenchmark("RouterDecisionBench", rest));
      default -> {
        System.err.println("usage: mesh-bench gossip [agents] [rounds] [local|lan]");
        System.err.println("       mesh-bench footprint [runs] [idle-seconds]");
        System.err.println("       mesh-bench policy [--clients 1,16,64] [--seconds 10] "
            + "[--keys 1000] [--etcd]");
        System.err.println("       mesh-bench router [JMH options, e.g. -p targets=1000]");
        System.err.println("       mesh-bench ingress [--rate 200] [--seconds 20] [--warmup 5]"
            + " [--targets 8] [--chunks 16]");
        System.err.println("       mesh-bench signals [agents] [seconds] [change-ms] "
            + "[scrape-ms]");
        System.err.println("       mesh-bench fabric-quic [--mib 256] [--message-kib 1024]"
            + " [--runs 5] [--warmup 2] [--udp-payload 1350]");
        System.err.println("       mesh-bench fabric-libfabric [--sizes 4k,64k,1m] "
            + "[--iterations 1000] [--rounds 3]");
        System.err.println("       mesh-bench fabric-rdma [--sizes 64k,1m] [--messages 256] "
            + "[--rounds 3]");
        System.err.println(
            "       " + NegotiationBenchOptions.USAGE.substring("usage: ".length()));
        System.exit(2);
      }
    }
    System.exit(0);
  }
}
