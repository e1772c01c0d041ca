package dev.meshd.agent.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Message;
import dev.meshd.proto.v1.MeshServiceGrpc;
import dev.meshd.proto.v1.PolicyServiceGrpc;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every role against every RPC of the API. The services behind the interceptor are the generated
 * bases, which answer UNIMPLEMENTED: reaching them means the interceptor let the call through.
 */
class BearerAuthInterceptorTest {

  private static final String VIEWER = "viewer-token-0123456789";
  private static final String OPERATOR = "operator-token-0123456789";
  private static final String ADMIN = "admin-token-0123456789";

  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    TokenRegistry registry = new TokenRegistry(List.of(
        new TokenRegistry.Entry("v", Role.VIEWER, TokenRegistry.sha256(VIEWER)),
        new TokenRegistry.Entry("o", Role.OPERATOR, TokenRegistry.sha256(OPERATOR)),
        new TokenRegistry.Entry("a", Role.ADMIN, TokenRegistry.sha256(ADMIN))), Optional.empty());
    String name = InProcessServerBuilder.generateName();
    BearerAuthInterceptor auth = new BearerAuthInterceptor(Optional.of(registry));
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(ServerInterceptors.intercept(new MeshServiceGrpc.MeshServiceImplBase() {},
            auth))
        .addService(ServerInterceptors.intercept(new PolicyServiceGrpc.PolicyServiceImplBase() {},
            auth))
        .addService(ServerInterceptors.intercept(
            new dev.meshd.proto.v1.RouterServiceGrpc.RouterServiceImplBase() {}, auth))
        .addService(ServerInterceptors.intercept(
            new dev.meshd.proto.v1.FabricServiceGrpc.FabricServiceImplBase() {}, auth))
        .build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  static Stream<Arguments> everyMethodAndRole() {
    List<Arguments> cases = new ArrayList<>();
    List<ServerServiceDefinition> services = List.of(
        new MeshServiceGrpc.MeshServiceImplBase() {}.bindService(),
        new PolicyServiceGrpc.PolicyServiceImplBase() {}.bindService(),
        new dev.meshd.proto.v1.RouterServiceGrpc.RouterServiceImplBase() {}.bindService(),
        new dev.meshd.proto.v1.FabricServiceGrpc.FabricServiceImplBase() {}.bindService());
    for (ServerServiceDefinition service : services) {
      for (var method : service.getMethods()) {
        for (String token : new String[] {null, "wrong-token-0123456789", VIEWER, OPERATOR,
            ADMIN}) {
          cases.add(Arguments.of(method.getMethodDescriptor(), token));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} with {1}")
  @MethodSource("everyMethodAndRole")
  void eachRoleGetsExactlyWhatItsPermissionsAllow(MethodDescriptor<Message, Message> method,
      String token) {
    Permission required =
        MethodPermissions.required(method.getFullMethodName()).orElseThrow();
    Status.Code expected;
    if (token == null || token.startsWith("wrong")) {
      expected = Status.Code.UNAUTHENTICATED;
    } else {
      Role role = token.equals(VIEWER) ? Role.VIEWER
          : token.equals(OPERATOR) ? Role.OPERATOR : Role.ADMIN;
      expected = role.allows(required) ? Status.Code.UNIMPLEMENTED : Status.Code.PERMISSION_DENIED;
    }

    assertThat(call(method, token)).isEqualTo(expected);
  }

  private Status.Code call(MethodDescriptor<Message, Message> method, String token) {
    Metadata headers = new Metadata();
    if (token != null) {
      headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
          "Bearer " + token);
    }
    var intercepted = io.grpc.ClientInterceptors.intercept(channel,
        MetadataUtils.newAttachHeadersInterceptor(headers));
    Message request = ((MethodDescriptor.PrototypeMarshaller<Message>)
        method.getRequestMarshaller()).getMessagePrototype();
    StatusRuntimeException error = catchThrowableOfType(StatusRuntimeException.class, () -> {
      if (method.getType() == MethodDescriptor.MethodType.UNARY) {
        ClientCalls.blockingUnaryCall(intercepted, method, CallOptions.DEFAULT, request);
      } else {
        ClientCalls.blockingServerStreamingCall(intercepted, method, CallOptions.DEFAULT, request)
            .hasNext();
      }
    });
    return error == null ? Status.Code.OK : error.getStatus().getCode();
  }

  @org.junit.jupiter.api.Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void aViewerMayAskWhereARequestWouldGo() {
    assertThat(MethodPermissions.required("meshd.v1.RouterService/Route"))
        .hasValue(Permission.READ);
    MethodDescriptor route = dev.meshd.proto.v1.RouterServiceGrpc.getRouteMethod();
    assertThat(call(route, VIEWER)).isEqualTo(Status.Code.UNIMPLEMENTED);
  }

  @org.junit.jupiter.api.Test
  void fabricNegotiationIsForAgentsProbesForOperatorsAndLinksForViewers() {
    assertThat(MethodPermissions.required("meshd.v1.FabricService/Negotiate"))
        .hasValue(Permission.INTERNAL);
    assertThat(MethodPermissions.required("meshd.v1.FabricService/Probe"))
        .hasValue(Permission.WRITE);
    assertThat(MethodPermissions.required("meshd.v1.FabricService/ListLinks"))
        .hasValue(Permission.READ);
    assertThat(Role.AGENT.allows(Permission.INTERNAL)).isTrue();
    assertThat(Role.ADMIN.allows(Permission.INTERNAL)).isFalse();
    assertThat(Role.VIEWER.allows(Permission.WRITE)).isFalse();
  }
}
