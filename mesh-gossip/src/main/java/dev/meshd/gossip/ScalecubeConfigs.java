package dev.meshd.gossip;

import dev.meshd.core.config.GossipTuning;
import dev.meshd.core.config.HostPort;
import dev.meshd.gossip.internal.BoundTcpTransportFactory;
import dev.meshd.gossip.internal.BytesMetadataCodec;
import io.scalecube.cluster.ClusterConfig;
import io.scalecube.cluster.codec.jackson.JacksonMessageCodec;
import io.scalecube.cluster.transport.api.Transport;
import java.util.List;
import java.util.function.UnaryOperator;

/** Translates meshd's gossip settings into scalecube's {@link ClusterConfig}. */
final class ScalecubeConfigs {

  /** Members of other namespaces are ignored by scalecube. */
  static final String NAMESPACE = "meshd";

  private ScalecubeConfigs() {}

  static ClusterConfig of(
      String nodeId,
      HostPort listen,
      String advertisedHost,
      List<HostPort> seeds,
      GossipTuning tuning,
      byte[] sealedRecord,
      UnaryOperator<Transport> transportDecorator) {
    int connectMs = (int) tuning.connectTimeout().toMillis();
    return ClusterConfig.defaultLocalConfig()
        .memberAlias(nodeId)
        .externalHost(advertisedHost)
        .externalPort(listen.port())
        .metadata(sealedRecord)
        // meshd seals and decodes records itself; scalecube only moves the bytes.
        .metadataCodec(new BytesMetadataCodec())
        .metadataTimeout((int) tuning.metadataTimeout().toMillis())
        .transport(
            t ->
                t.port(listen.port())
                    .connectTimeout(connectMs)
                    // Jackson, not scalecube's default Java serialization of whatever arrives.
                    .messageCodec(new JacksonMessageCodec())
                    .transportFactory(
                        cfg ->
                            transportDecorator.apply(
                                new BoundTcpTransportFactory(listen.host()).createTransport(cfg))))
        .failureDetector(
            fd ->
                fd.pingInterval((int) tuning.pingInterval().toMillis())
                    .pingTimeout((int) tuning.pingTimeout().toMillis())
                    .pingReqMembers(tuning.pingReqMembers()))
        .gossip(
            g ->
                g.gossipInterval(tuning.gossipInterval().toMillis())
                    .gossipFanout(tuning.gossipFanout()))
        .membership(
            m ->
                m.seedMembers(seeds.stream().map(HostPort::toString).toList())
                    .namespace(NAMESPACE)
                    .syncInterval((int) tuning.syncInterval().toMillis())
                    .syncTimeout(connectMs * 3)
                    .suspicionMult(tuning.suspicionMult()));
  }
}
