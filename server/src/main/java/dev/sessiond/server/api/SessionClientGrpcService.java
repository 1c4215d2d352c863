package dev.sessiond.server.api;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.ByteString;
import dev.sessiond.proto.v1.CloseSessionAsAdminRequest;
import dev.sessiond.proto.v1.CloseSessionAsAdminResponse;
import dev.sessiond.proto.v1.CloseSessionRequest;
import dev.sessiond.proto.v1.CloseSessionResponse;
import dev.sessiond.proto.v1.IncrementConfigurationVersionRequest;
import dev.sessiond.proto.v1.IncrementConfigurationVersionResponse;
import dev.sessiond.proto.v1.OpenSessionRequest;
import dev.sessiond.proto.v1.OpenSessionResponse;
import dev.sessiond.proto.v1.OpenSessionWindowsAuthRequest;
import dev.sessiond.proto.v1.OpenSessionWindowsAuthResponse;
import dev.sessiond.proto.v1.SessionClientServiceGrpc;
import dev.sessiond.server.error.NotImplementedException;
import dev.sessiond.server.session.OpenedSession;
import dev.sessiond.server.session.SessionService;
import dev.sessiond.server.session.SessionService.CloseKind;
import dev.sessiond.server.session.SignInService;
import dev.sessiond.server.session.WindowsOpenedSession;
import dev.sessiond.server.user.UserService;
import io.grpc.stub.StreamObserver;

/** {@code sessiond.v1.SessionClientService}: sign-in and closing sessions. */
final class SessionClientGrpcService extends SessionClientServiceGrpc.SessionClientServiceImplBase {

    /** Active Directory's largest Kerberos token (MaxTokenSize) is 48000 bytes; leave room. */
    static final int MAX_SPNEGO_TOKEN = 64 * 1024;

    private final SignInService signIn;
    private final SessionService sessions;
    private final Access access;
    private final String platformVersion;

    SessionClientGrpcService(SignInService signIn, SessionService sessions, Access access, String platformVersion) {
        this.signIn = requireNonNull(signIn, "signIn");
        this.sessions = requireNonNull(sessions, "sessions");
        this.access = requireNonNull(access, "access");
        this.platformVersion = requireNonNull(platformVersion, "platformVersion");
    }

    @Override
    public void openSession(OpenSessionRequest request, StreamObserver<OpenSessionResponse> responses) {
        Rpc.unary(responses, () -> {
            String login = Args.required("login", request.getLogin(), UserService.MAX_LOGIN);
            if (request.getPassword().length() > UserService.MAX_PASSWORD) {
                Args.optional("password", request.getPassword(), UserService.MAX_PASSWORD);
            }
            String domain = Args.optional("domain", request.getDomain(), UserService.MAX_LOGIN);
            String applicationId = Args.applicationId(request.getApplicationId());
            OpenedSession opened = signIn.signIn(login, request.getPassword(), domain, applicationId,
                    CallContextInterceptor.current().client());
            return OpenSessionResponse.newBuilder()
                    .setToken(opened.token())
                    .setSession(SessionMapper.toProto(opened.session(), sessions.expireTime(opened.session())))
                    .setConfigurationVersion(sessions.configurationVersion())
                    .build();
        });
    }

    @Override
    public void openSessionWindowsAuth(
            OpenSessionWindowsAuthRequest request, StreamObserver<OpenSessionWindowsAuthResponse> responses) {
        Rpc.unary(responses, () -> {
            byte[] token = Args.bytes("spnego_token", request.getSpnegoToken(), MAX_SPNEGO_TOKEN);
            String applicationId = Args.applicationId(request.getApplicationId());
            WindowsOpenedSession signedIn = signIn.signInWithKerberos(token, applicationId,
                    CallContextInterceptor.current().client());
            OpenedSession opened = signedIn.opened();
            return OpenSessionWindowsAuthResponse.newBuilder()
                    .setToken(opened.token())
                    .setSession(SessionMapper.toProto(opened.session(), sessions.expireTime(opened.session())))
                    .setConfigurationVersion(sessions.configurationVersion())
                    .setSpnegoResponse(ByteString.copyFrom(signedIn.spnegoResponse()))
                    .build();
        });
    }

    @Override
    public void closeSession(CloseSessionRequest request, StreamObserver<CloseSessionResponse> responses) {
        Rpc.unary(responses, () -> {
            Caller caller = access.anySession();
            boolean wasOpen = sessions.close(caller.session().id(), CloseKind.CLOSED, caller.actor());
            return CloseSessionResponse.newBuilder().setWasOpen(wasOpen).build();
        });
    }

    @Override
    public void closeSessionAsAdmin(
            CloseSessionAsAdminRequest request, StreamObserver<CloseSessionAsAdminResponse> responses) {
        Rpc.unary(responses, () -> {
            Caller caller = access.admin();
            var id = Args.uuid("session_id", request.getSessionId());
            boolean wasOpen = sessions.close(id, CloseKind.BY_ADMIN, caller.actor());
            return CloseSessionAsAdminResponse.newBuilder().setWasOpen(wasOpen).build();
        });
    }

    @Override
    public void incrementConfigurationVersion(
            IncrementConfigurationVersionRequest request, StreamObserver<IncrementConfigurationVersionResponse> responses) {
        Rpc.unary(responses, () -> {
            Caller caller = access.admin();
            long version = sessions.incrementConfigurationVersion(platformVersion, caller.actor());
            return IncrementConfigurationVersionResponse.newBuilder().setConfigurationVersion(version).build();
        });
    }
}
