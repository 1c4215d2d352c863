package dev.sessiond.server.api;

import static java.util.Objects.requireNonNull;

import dev.sessiond.proto.v1.AddSessionRequest;
import dev.sessiond.proto.v1.AddSessionResponse;
import dev.sessiond.proto.v1.CreateNestedSessionTokenRequest;
import dev.sessiond.proto.v1.CreateNestedSessionTokenResponse;
import dev.sessiond.proto.v1.DeleteUserSessionsRequest;
import dev.sessiond.proto.v1.DeleteUserSessionsResponse;
import dev.sessiond.proto.v1.RemoveSessionRequest;
import dev.sessiond.proto.v1.RemoveSessionResponse;
import dev.sessiond.proto.v1.SessionServerServiceCloseSessionRequest;
import dev.sessiond.proto.v1.SessionServerServiceCloseSessionResponse;
import dev.sessiond.proto.v1.SessionServerServiceGrpc;
import dev.sessiond.proto.v1.SessionServerServiceOpenSessionRequest;
import dev.sessiond.proto.v1.SessionServerServiceOpenSessionResponse;
import dev.sessiond.proto.v1.SetSessionIsActiveRequest;
import dev.sessiond.proto.v1.SetSessionIsActiveResponse;
import dev.sessiond.proto.v1.TryGetSessionIdToDeactivateRequest;
import dev.sessiond.proto.v1.TryGetSessionIdToDeactivateResponse;
import dev.sessiond.proto.v1.TryGetSessionRequest;
import dev.sessiond.proto.v1.TryGetSessionResponse;
import dev.sessiond.proto.v1.UpdateLastActivityRequest;
import dev.sessiond.proto.v1.UpdateLastActivityResponse;
import dev.sessiond.proto.v1.ValidateAndGetSessionRequest;
import dev.sessiond.proto.v1.ValidateAndGetSessionResponse;
import dev.sessiond.proto.v1.ValidateBasicFieldsRequest;
import dev.sessiond.proto.v1.ValidateBasicFieldsResponse;
import dev.sessiond.server.auth.TokenCodec.Claims;
import dev.sessiond.server.error.InvalidArgumentException;
import dev.sessiond.server.error.NotFoundException;
import dev.sessiond.server.session.ClientContext;
import dev.sessiond.server.session.OpenSpec;
import dev.sessiond.server.session.OpenedSession;
import dev.sessiond.server.session.Session;
import dev.sessiond.server.session.SessionService;
import dev.sessiond.server.session.SessionService.CloseKind;
import dev.sessiond.server.user.User;
import dev.sessiond.server.user.UserService;
import io.grpc.stub.StreamObserver;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/** {@code sessiond.v1.SessionServerService}: sessions for trusted callers (services and administrators). */
final class SessionServerGrpcService extends SessionServerServiceGrpc.SessionServerServiceImplBase {

    /** The audit trail's name for sessions opened by a trusted caller without a password. */
    static final String AUTH_TRUSTED = "trusted";
    private static final int MAX_ADDRESS = 64;

    private final SessionService sessions;
    private final UserService users;
    private final Access access;

    SessionServerGrpcService(SessionService sessions, UserService users, Access access) {
        this.sessions = requireNonNull(sessions, "sessions");
        this.users = requireNonNull(users, "users");
        this.access = requireNonNull(access, "access");
    }

    @Override
    public void openSession(SessionServerServiceOpenSessionRequest request,
            StreamObserver<SessionServerServiceOpenSessionResponse> responses) {
        Rpc.unary(responses, () -> {
            Caller caller = access.serviceOrAdmin();
            User user = userByIdOrLogin("user_id", request.getUserId(), "login", request.getLogin());
            var type = SessionMapper.fromProto("type", request.getType());
            String applicationId = Args.applicationId(request.getApplicationId());
            OpenedSession opened = sessions.open(user, new OpenSpec(Optional.empty(), applicationId, type,
                    caller.call().client(), Optional.empty(), AUTH_TRUSTED, caller.actor()));
            return SessionServerServiceOpenSessionResponse.newBuilder()
                    .setToken(opened.token())
                    .setSession(toProto(opened.session()))
                    .setConfigurationVersion(sessions.configurationVersion())
                    .build();
        });
    }

    @Override
    public void addSession(AddSessionRequest request, StreamObserver<AddSessionResponse> responses) {
        Rpc.unary(responses, () -> {
            Caller caller = access.serviceOrAdmin();
            var described = request.getSession();
            Optional<UUID> id = described.getId().isEmpty()
                    ? Optional.empty()
                    : Optional.of(Args.uuid("session.id", described.getId()));
            User user = userByIdOrLogin("session.user.id", described.getUser().getId(),
                    "session.user.login", described.getUser().getLogin());
            checkSameDeployment("session.server_code", described.getServerCode(), sessions.serverCode());
            checkSameDeployment("session.instance_name", described.getInstanceName(), sessions.instanceName());
            ClientContext callClient = caller.call().client();
            ClientContext client = new ClientContext(
                    described.getClientCulture().isEmpty() ? ""
                            : CallInfo.checkCulture("session.client_culture", described.getClientCulture()),
                    described.getClientUiCulture().isEmpty() ? ""
                            : CallInfo.checkCulture("session.client_ui_culture", described.getClientUiCulture()),
                    described.hasClientUtcOffset()
                            ? Optional.of(offset(described.getClientUtcOffset()))
                            : Optional.empty(),
                    Args.optional("session.client_host", described.getClientHost(), CallInfo.MAX_HOST),
                    described.getClientAddress().isEmpty() ? callClient.clientAddress()
                            : Args.optional("session.client_address", described.getClientAddress(), MAX_ADDRESS),
                    callClient.transport());
            OpenedSession opened = sessions.open(user, new OpenSpec(id,
                    Args.applicationId(described.getApplicationId()),
                    SessionMapper.fromProto("session.type", described.getType()),
                    client, Optional.empty(), AUTH_TRUSTED, caller.actor()));
            return AddSessionResponse.newBuilder()
                    .setToken(opened.token())
                    .setSession(toProto(opened.session()))
                    .build();
        });
    }

    @Override
    public void validateAndGetSession(
            ValidateAndGetSessionRequest request, StreamObserver<ValidateAndGetSessionResponse> responses) {
        Rpc.unary(responses, () -> {
            Caller caller = access.serviceOrAdmin();
            Session session = sessions.validate(Args.token("token", request.getToken()));
            Session shown = session.withClient(session.client().withCulturesOf(caller.call().client()));
            return ValidateAndGetSessionResponse.newBuilder()
                    .setSession(toProto(shown))
                    .setConfigurationVersion(sessions.configurationVersion())
                    .build();
        });
    }

    @Override
    public void validateBasicFields(
            ValidateBasicFieldsRequest request, StreamObserver<ValidateBasicFieldsResponse> responses) {
        Rpc.unary(responses, () -> {
            access.serviceOrAdmin();
            Claims claims = sessions.validateBasicFields(Args.token("token", request.getToken()));
            return ValidateBasicFieldsResponse.newBuilder()
                    .setSessionId(claims.sessionId().toString())
                    .setUserId(claims.userId().toString())
                    .setExpireTime(Protos.timestamp(claims.lifetimeEnd()))
                    .build();
        });
    }

    @Override
    public void tryGetSession(TryGetSessionRequest request, StreamObserver<TryGetSessionResponse> responses) {
        Rpc.unary(responses, () -> {
            access.serviceOrAdmin();
            var builder = TryGetSessionResponse.newBuilder();
            sessions.tryGet(Args.uuid("session_id", request.getSessionId()))
                    .ifPresent(s -> builder.setSession(toProto(s)));
            return builder.build();
        });
    }

    @Override
    public void updateLastActivity(
            UpdateLastActivityRequest request, StreamObserver<UpdateLastActivityResponse> responses) {
        Rpc.unary(responses, () -> {
            access.serviceOrAdmin();
            boolean wasOpen = sessions.updateLastActivity(Args.uuid("session_id", request.getSessionId()));
            return UpdateLastActivityResponse.newBuilder().setWasOpen(wasOpen).build();
        });
    }

    @Override
    public void setSessionIsActive(
            SetSessionIsActiveRequest request, StreamObserver<SetSessionIsActiveResponse> responses) {
        Rpc.unary(responses, () -> {
            Caller caller = access.serviceOrAdmin();
            boolean changed = sessions.setActive(Args.uuid("session_id", request.getSessionId()),
                    request.getIsActive(), caller.actor());
            return SetSessionIsActiveResponse.newBuilder().setChanged(changed).build();
        });
    }

    @Override
    public void tryGetSessionIdToDeactivate(TryGetSessionIdToDeactivateRequest request,
            StreamObserver<TryGetSessionIdToDeactivateResponse> responses) {
        Rpc.unary(responses, () -> {
            access.serviceOrAdmin();
            UUID userId = Args.uuid("user_id", request.getUserId());
            users.get(userId);
            var response = TryGetSessionIdToDeactivateResponse.newBuilder();
            sessions.candidateToDeactivate(userId).ifPresent(id -> response.setSessionId(id.toString()));
            return response.build();
        });
    }

    @Override
    public void closeSession(SessionServerServiceCloseSessionRequest request,
            StreamObserver<SessionServerServiceCloseSessionResponse> responses) {
        Rpc.unary(responses, () -> {
            Caller caller = access.serviceOrAdmin();
            boolean wasOpen = sessions.close(Args.uuid("session_id", request.getSessionId()), CloseKind.CLOSED,
                    caller.actor());
            return SessionServerServiceCloseSessionResponse.newBuilder().setWasOpen(wasOpen).build();
        });
    }

    @Override
    public void removeSession(RemoveSessionRequest request, StreamObserver<RemoveSessionResponse> responses) {
        Rpc.unary(responses, () -> {
            access.serviceOrAdmin();
            boolean wasOpen = sessions.remove(Args.uuid("session_id", request.getSessionId()));
            return RemoveSessionResponse.newBuilder().setWasOpen(wasOpen).build();
        });
    }

    @Override
    public void deleteUserSessions(
            DeleteUserSessionsRequest request, StreamObserver<DeleteUserSessionsResponse> responses) {
        Rpc.unary(responses, () -> {
            Caller caller = access.serviceOrAdmin();
            int deleted = sessions.deleteUserSessions(Args.uuid("user_id", request.getUserId()), caller.actor());
            return DeleteUserSessionsResponse.newBuilder().setDeletedCount(deleted).build();
        });
    }

    @Override
    public void createNestedSessionToken(
            CreateNestedSessionTokenRequest request, StreamObserver<CreateNestedSessionTokenResponse> responses) {
        Rpc.unary(responses, () -> {
            Caller caller = access.serviceOrAdmin();
            String parentToken = Args.token("parent_token", request.getParentToken());
            User user = userByIdOrLogin("user_id", request.getUserId(), "login", request.getLogin());
            OpenedSession opened = sessions.openNested(parentToken, user,
                    Args.applicationId(request.getApplicationId()), caller.actor());
            return CreateNestedSessionTokenResponse.newBuilder()
                    .setToken(opened.token())
                    .setSession(toProto(opened.session()))
                    .build();
        });
    }

    private dev.sessiond.proto.v1.Session toProto(Session session) {
        return SessionMapper.toProto(session, sessions.expireTime(session));
    }

    /** The user named by exactly one of an id and a login. */
    private User userByIdOrLogin(String idField, String id, String loginField, String login) {
        if (id.isEmpty() == login.isEmpty()) {
            throw new InvalidArgumentException(idField,
                    id.isEmpty() ? "empty, and so is " + loginField + " (expected: exactly one of them)"
                            : "set together with " + loginField + " (expected: exactly one of them)");
        }
        if (!id.isEmpty()) {
            UUID userId = Args.uuid(idField, id);
            return users.find(userId).orElseThrow(() -> new NotFoundException(idField + ": no user with id " + userId));
        }
        Args.required(loginField, login, UserService.MAX_LOGIN);
        return users.findByLogin(login)
                .orElseThrow(() -> new NotFoundException(loginField + ": no user with login '" + login + "'"));
    }

    private static void checkSameDeployment(String field, String given, String own) {
        if (!given.isEmpty() && !given.equals(own)) {
            throw new InvalidArgumentException(field, "'" + given + "' (expected: empty or this server's '" + own + "')");
        }
    }

    private static ZoneOffset offset(com.google.protobuf.Duration duration) {
        if (duration.getNanos() != 0 || Math.abs(duration.getSeconds()) > 18 * 3600) {
            throw new InvalidArgumentException("session.client_utc_offset",
                    "out of range (expected: whole seconds between -18h and +18h)");
        }
        return ZoneOffset.ofTotalSeconds((int) duration.getSeconds());
    }
}
