package dev.meshd.agent.fabric;

import com.google.protobuf.ByteString;
import dev.meshd.agent.api.NodeMapper;
import dev.meshd.agent.policy.PolicyMapper;
import dev.meshd.core.fabric.FabricClass;
import dev.meshd.fabric.negotiate.Candidate;
import dev.meshd.fabric.negotiate.EndpointData;
import dev.meshd.fabric.negotiate.Fallback;
import dev.meshd.fabric.negotiate.LinkEnd;
import dev.meshd.fabric.negotiate.NegotiatedLink;
import dev.meshd.fabric.negotiate.NegotiationMessage;
import dev.meshd.fabric.negotiate.TransportEndpoint;
import dev.meshd.fabric.negotiate.TransportTry;
import dev.meshd.fabric.negotiate.TryOutcome;
import dev.meshd.fabric.probe.ProbeResult;
import dev.meshd.fabric.probe.ProbeSpec;
import dev.meshd.proto.v1.NegotiateRequest;
import dev.meshd.proto.v1.NegotiateResponse;
import dev.meshd.proto.v1.NegotiationAnswer;
import dev.meshd.proto.v1.NegotiationOffer;
import dev.meshd.proto.v1.NegotiationResult;
import dev.meshd.proto.v1.ProbeMeasurement;
import dev.meshd.proto.v1.Refusal;
import dev.meshd.proto.v1.ResultAck;
import dev.meshd.proto.v1.TransportCandidate;
import dev.meshd.proto.v1.TryState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Maps the negotiation's domain messages ({@code dev.meshd.fabric.negotiate}) to and from the
 * {@code meshd.v1} FabricService types; the only place that does. A message from a peer that
 * cannot be mapped (a required part missing, a value out of range) throws {@link
 * MalformedMessageException} naming the field. Stateless.
 */
final class FabricMapper {

  private FabricMapper() {}

  /** A peer's message that does not map to a valid domain message. */
  static final class MalformedMessageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedMessageException(String message) {
      super(message);
    }
  }

  // ---- upstream -> downstream ----

  static NegotiateRequest toRequest(NegotiationMessage message) {
    var b = NegotiateRequest.newBuilder();
    switch (message) {
      case NegotiationMessage.Offer offer -> b.setOffer(toProto(offer));
      case TryOutcome outcome -> b.setOutcome(toProto(outcome));
      case NegotiationMessage.Result result -> b.setResult(NegotiationResult.newBuilder()
          .setLink(PolicyMapper.toProto(result.link()))
          .setAborted(result.aborted().orElse("")));
      default -> throw new IllegalArgumentException(
          "the upstream does not send " + message.getClass().getSimpleName());
    }
    return b.build();
  }

  static NegotiationMessage fromRequest(NegotiateRequest request) {
    try {
      return switch (request.getStepCase()) {
        case OFFER -> toDomain(request.getOffer());
        case OUTCOME -> toDomain(request.getOutcome());
        case RESULT -> {
          NegotiationResult result = request.getResult();
          if (!result.hasLink() || !result.getLink().hasNegotiatedAt()) {
            throw new MalformedMessageException("result.link.negotiated_at: missing");
          }
          yield new NegotiationMessage.Result(PolicyMapper.toDomain(result.getLink()),
              Optional.of(result.getAborted()).filter(a -> !a.isEmpty()));
        }
        case STEP_NOT_SET -> throw new MalformedMessageException("step: not set");
      };
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new MalformedMessageException(e.getMessage());
    }
  }

  // ---- downstream -> upstream ----

  static NegotiateResponse toResponse(NegotiationMessage message) {
    var b = NegotiateResponse.newBuilder();
    switch (message) {
      case NegotiationMessage.Answer answer -> b.setAnswer(NegotiationAnswer.newBuilder()
          .setDownstream(toProto(answer.downstream()))
          .addAllCandidates(answer.candidates().stream().map(FabricMapper::toProto).toList()));
      case NegotiationMessage.Ack ack -> b.setAck(
          ResultAck.newBuilder().setAgreed(ack.agreed()).setDetail(ack.detail()));
      default -> throw new IllegalArgumentException(
          "the downstream does not send " + message.getClass().getSimpleName());
    }
    return b.build();
  }

  static NegotiationMessage fromResponse(NegotiateResponse response) {
    try {
      return switch (response.getStepCase()) {
        case ANSWER -> {
          NegotiationAnswer answer = response.getAnswer();
          yield new NegotiationMessage.Answer(toDomain(answer.getDownstream(), "downstream"),
              answer.getCandidatesList().stream().map(FabricMapper::toDomain).toList());
        }
        case ACK -> new NegotiationMessage.Ack(response.getAck().getAgreed(),
            response.getAck().getDetail());
        case STEP_NOT_SET -> throw new MalformedMessageException("step: not set");
      };
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new MalformedMessageException(e.getMessage());
    }
  }

  // ---- parts ----

  static dev.meshd.proto.v1.LinkEnd toProto(LinkEnd end) {
    return dev.meshd.proto.v1.LinkEnd.newBuilder()
        .setNodeId(end.nodeId())
        .setHostId(end.hostId())
        .addAllGpuIndexes(end.gpus())
        .build();
  }

  static LinkEnd toDomain(dev.meshd.proto.v1.LinkEnd end, String field) {
    if (end.getNodeId().isBlank()) {
      throw new MalformedMessageException(field + ".node_id: empty");
    }
    return new LinkEnd(end.getNodeId(), end.getHostId(),
        end.getGpuIndexesList().stream().map(Integer::intValue).toList());
  }

  static Refusal toProto(Fallback fallback) {
    return Refusal.newBuilder()
        .setReason(fallback.reason().label())
        .setDetail(fallback.detail())
        .build();
  }

  static ProbeMeasurement toProto(ProbeResult result) {
    return ProbeMeasurement.newBuilder()
        .setBytesVerified(result.bytesVerified())
        .setBytesPerSecond(result.bytesPerSecond())
        .setRtt(NodeMapper.duration(result.rtt()))
        .setElapsed(NodeMapper.duration(result.elapsed()))
        .build();
  }

  /** One try as {@code fabric probe} shows it. */
  static dev.meshd.proto.v1.TransportTry toProto(TransportTry t) {
    var b = dev.meshd.proto.v1.TransportTry.newBuilder()
        .setTransport(t.transport())
        .setState(switch (t.state()) {
          case SKIPPED -> TryState.TRY_STATE_SKIPPED;
          case FAILED -> TryState.TRY_STATE_FAILED;
          case SUCCEEDED -> TryState.TRY_STATE_SUCCEEDED;
        })
        .setFabricClass(t.fabricClass().map(Enum::name).orElse(""));
    t.fallback().ifPresent(f -> b.setRefusal(toProto(f)));
    t.measured().ifPresent(m -> b.setMeasured(toProto(m)));
    return b.build();
  }

  static dev.meshd.proto.v1.LinkStatus toProto(NegotiatedLink link) {
    return PolicyMapper.toProto(link.toLinkStatus());
  }

  private static NegotiationOffer toProto(NegotiationMessage.Offer offer) {
    ProbeSpec spec = offer.probe();
    return NegotiationOffer.newBuilder()
        .setNegotiationId(offer.negotiationId())
        .setUpstream(toProto(offer.upstream()))
        .addAllCandidates(offer.candidates().stream().map(FabricMapper::toProto).toList())
        .setProbe(dev.meshd.proto.v1.ProbeSpec.newBuilder()
            .setPings(spec.pings())
            .setMessageBytes(spec.messageBytes())
            .setMessages(spec.messages())
            .setTryDeadline(NodeMapper.duration(spec.deadline())))
        .setLabel(offer.label())
        .build();
  }

  private static NegotiationMessage.Offer toDomain(NegotiationOffer offer) {
    if (!offer.hasProbe()) {
      throw new MalformedMessageException("offer.probe: missing");
    }
    var probe = offer.getProbe();
    ProbeSpec spec = new ProbeSpec(probe.getPings(), probe.getMessageBytes(), probe.getMessages(),
        toJava(probe.getTryDeadline()));
    return new NegotiationMessage.Offer(offer.getNegotiationId(),
        toDomain(offer.getUpstream(), "offer.upstream"),
        offer.getCandidatesList().stream().map(FabricMapper::toDomain).toList(), spec,
        offer.getLabel());
  }

  private static TransportCandidate toProto(Candidate candidate) {
    var b = TransportCandidate.newBuilder().setTransport(candidate.transport());
    switch (candidate) {
      case Candidate.Available available -> b.setEndpoint(dev.meshd.proto.v1.Endpoint.newBuilder()
          .setFabricClass(available.endpoint().fabricClass().name())
          .setData(ByteString.copyFrom(available.endpoint().data().asReadOnlyBuffer())));
      case Candidate.Unavailable unavailable -> b.setRefusal(toProto(unavailable.fallback()));
    }
    return b.build();
  }

  private static Candidate toDomain(TransportCandidate candidate) {
    String transport = candidate.getTransport();
    return switch (candidate.getChoiceCase()) {
      case ENDPOINT -> new Candidate.Available(transport, new TransportEndpoint(
          fabricClass(candidate.getEndpoint().getFabricClass()),
          EndpointData.of(candidate.getEndpoint().getData().toByteArray())));
      case REFUSAL -> new Candidate.Unavailable(fallback(transport, candidate.getRefusal()));
      case CHOICE_NOT_SET -> throw new MalformedMessageException(
          "candidate " + transport + ": neither endpoint nor refusal");
    };
  }

  private static dev.meshd.proto.v1.TryOutcome toProto(TryOutcome outcome) {
    var b = dev.meshd.proto.v1.TryOutcome.newBuilder().setTransport(outcome.transport());
    switch (outcome) {
      case TryOutcome.Succeeded succeeded -> b.setMeasured(toProto(succeeded.measured()));
      case TryOutcome.Failed failed -> b.setFailure(toProto(failed.fallback()));
    }
    return b.build();
  }

  private static TryOutcome toDomain(dev.meshd.proto.v1.TryOutcome outcome) {
    return switch (outcome.getOutcomeCase()) {
      case MEASURED -> {
        ProbeMeasurement m = outcome.getMeasured();
        yield new TryOutcome.Succeeded(outcome.getTransport(), new ProbeResult(
            m.getBytesVerified(), m.getBytesPerSecond(), toJava(m.getRtt()),
            toJava(m.getElapsed())));
      }
      case FAILURE -> new TryOutcome.Failed(fallback(outcome.getTransport(),
          outcome.getFailure()));
      case OUTCOME_NOT_SET -> throw new MalformedMessageException(
          "outcome " + outcome.getTransport() + ": neither measured nor failure");
    };
  }

  private static Fallback fallback(String transport, Refusal refusal) {
    return Fallback.fromLabel(transport, refusal.getReason(), refusal.getDetail());
  }

  private static FabricClass fabricClass(String name) {
    try {
      return FabricClass.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new MalformedMessageException("endpoint.fabric_class: \"" + name + "\" (expected: "
          + String.join(", ", List.of(FabricClass.values()).stream().map(Enum::name).toList())
          + ")");
    }
  }

  private static Duration toJava(com.google.protobuf.Duration d) {
    return Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }
}
