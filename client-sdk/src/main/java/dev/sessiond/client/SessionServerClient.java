package dev.sessiond.client;

import static java.util.Objects.requireNonNull;

import dev.sessiond.proto.v1.AddSessionRequest;
import dev.sessiond.proto.v1.AddSessionResponse;
import dev.sessiond.proto.v1.CreateNestedSessionTokenRequest;
import dev.sessiond.proto.v1.CreateNestedSessionTokenResponse;
import dev.sessiond.proto.v1.DeleteUserSessionsRequest;
import dev.sessiond.proto.v1.DeleteUserSessionsResponse;
import dev.sessiond.proto.v1.RemoveSessionRequest;
import dev.sessiond.proto.v1.RemoveSessionResponse;
import dev.sessiond.proto.v1.Session;
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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@code SessionServerService}: sessions for trusted callers. The client's token must belong to
 * a service account or an administrator. Obtained from {@link SessiondClient#server()}; shares
 * its client's channel, token and culture. Thread-safe.
 */
public final class SessionServerClient {

    private final Calls calls;

    SessionServerClient(Calls calls) {
        this.calls = requireNonNull(calls, "calls");
    }

    // --- OpenSession

    /** Opens a session for a user without a password (the caller vouches for the user). */
    public SessionServerServiceOpenSessionResponse openSession(SessionServerServiceOpenSessionRequest request) {
        return calls.blocking(SessionServerServiceGrpc.getOpenSessionMethod(), request);
    }

    /** Opens a session for the user {@code login}, of the server's default type. */
    public SessionServerServiceOpenSessionResponse openSession(String login, String applicationId) {
        return openSession(SessionServerServiceOpenSessionRequest.newBuilder()
                .setLogin(login).setApplicationId(applicationId).build());
    }

    public CompletableFuture<SessionServerServiceOpenSessionResponse> openSessionAsync(
            SessionServerServiceOpenSessionRequest request) {
        return calls.async(SessionServerServiceGrpc.getOpenSessionMethod(), request);
    }

    // --- AddSession

    /** Stores a session the caller describes and issues its token. */
    public AddSessionResponse addSession(AddSessionRequest request) {
        return calls.blocking(SessionServerServiceGrpc.getAddSessionMethod(), request);
    }

    public AddSessionResponse addSession(Session session) {
        return addSession(AddSessionRequest.newBuilder().setSession(session).build());
    }

    public CompletableFuture<AddSessionResponse> addSessionAsync(AddSessionRequest request) {
        return calls.async(SessionServerServiceGrpc.getAddSessionMethod(), request);
    }

    // --- ValidateAndGetSession

    /**
     * Validates a token completely and returns its session; the session's culture fields show
     * this call's culture where it sends one (use {@code withCulture(ClientCulture.NONE)} for
     * the stored ones).
     */
    public ValidateAndGetSessionResponse validateAndGetSession(ValidateAndGetSessionRequest request) {
        return calls.blocking(SessionServerServiceGrpc.getValidateAndGetSessionMethod(), request);
    }

    public ValidateAndGetSessionResponse validateAndGetSession(String token) {
        return validateAndGetSession(ValidateAndGetSessionRequest.newBuilder().setToken(token).build());
    }

    public CompletableFuture<ValidateAndGetSessionResponse> validateAndGetSessionAsync(
            ValidateAndGetSessionRequest request) {
        return calls.async(SessionServerServiceGrpc.getValidateAndGetSessionMethod(), request);
    }

    // --- ValidateBasicFields

    /** Checks what a token carries by itself, without the store. */
    public ValidateBasicFieldsResponse validateBasicFields(ValidateBasicFieldsRequest request) {
        return calls.blocking(SessionServerServiceGrpc.getValidateBasicFieldsMethod(), request);
    }

    public ValidateBasicFieldsResponse validateBasicFields(String token) {
        return validateBasicFields(ValidateBasicFieldsRequest.newBuilder().setToken(token).build());
    }

    public CompletableFuture<ValidateBasicFieldsResponse> validateBasicFieldsAsync(ValidateBasicFieldsRequest request) {
        return calls.async(SessionServerServiceGrpc.getValidateBasicFieldsMethod(), request);
    }

    // --- TryGetSession

    /** Reads a session by id without recording activity. */
    public TryGetSessionResponse tryGetSession(TryGetSessionRequest request) {
        return calls.blocking(SessionServerServiceGrpc.getTryGetSessionMethod(), request);
    }

    /** @return the open session with this id; empty when it is closed, expired or unknown */
    public Optional<Session> tryGetSession(String sessionId) {
        TryGetSessionResponse response = tryGetSession(TryGetSessionRequest.newBuilder().setSessionId(sessionId).build());
        return response.hasSession() ? Optional.of(response.getSession()) : Optional.empty();
    }

    public CompletableFuture<TryGetSessionResponse> tryGetSessionAsync(TryGetSessionRequest request) {
        return calls.async(SessionServerServiceGrpc.getTryGetSessionMethod(), request);
    }

    // --- UpdateLastActivity

    /** Records activity for a session now. */
    public UpdateLastActivityResponse updateLastActivity(UpdateLastActivityRequest request) {
        return calls.blocking(SessionServerServiceGrpc.getUpdateLastActivityMethod(), request);
    }

    /** @return whether the session was open */
    public boolean updateLastActivity(String sessionId) {
        return updateLastActivity(UpdateLastActivityRequest.newBuilder().setSessionId(sessionId).build()).getWasOpen();
    }

    public CompletableFuture<UpdateLastActivityResponse> updateLastActivityAsync(UpdateLastActivityRequest request) {
        return calls.async(SessionServerServiceGrpc.getUpdateLastActivityMethod(), request);
    }

    // --- SetSessionIsActive

    /** Makes a session give up its licence seat or take one again. */
    public SetSessionIsActiveResponse setSessionIsActive(SetSessionIsActiveRequest request) {
        return calls.blocking(SessionServerServiceGrpc.getSetSessionIsActiveMethod(), request);
    }

    /** @return whether the flag changed */
    public boolean setSessionIsActive(String sessionId, boolean isActive) {
        return setSessionIsActive(SetSessionIsActiveRequest.newBuilder()
                .setSessionId(sessionId).setIsActive(isActive).build()).getChanged();
    }

    public CompletableFuture<SetSessionIsActiveResponse> setSessionIsActiveAsync(SetSessionIsActiveRequest request) {
        return calls.async(SessionServerServiceGrpc.getSetSessionIsActiveMethod(), request);
    }

    // --- TryGetSessionIdToDeactivate

    /** Finds a session that could be deactivated to free a licence seat for a user. */
    public TryGetSessionIdToDeactivateResponse tryGetSessionIdToDeactivate(TryGetSessionIdToDeactivateRequest request) {
        return calls.blocking(SessionServerServiceGrpc.getTryGetSessionIdToDeactivateMethod(), request);
    }

    /** @return the id of a session to deactivate for {@code userId}; empty when there is none */
    public Optional<String> tryGetSessionIdToDeactivate(String userId) {
        String id = tryGetSessionIdToDeactivate(TryGetSessionIdToDeactivateRequest.newBuilder()
                .setUserId(userId).build()).getSessionId();
        return id.isEmpty() ? Optional.empty() : Optional.of(id);
    }

    public CompletableFuture<TryGetSessionIdToDeactivateResponse> tryGetSessionIdToDeactivateAsync(
            TryGetSessionIdToDeactivateRequest request) {
        return calls.async(SessionServerServiceGrpc.getTryGetSessionIdToDeactivateMethod(), request);
    }

    // --- CloseSession

    /** Closes a session and its nested sessions, with an audit event. */
    public SessionServerServiceCloseSessionResponse closeSession(SessionServerServiceCloseSessionRequest request) {
        return calls.blocking(SessionServerServiceGrpc.getCloseSessionMethod(), request);
    }

    /** @return whether the session was open */
    public boolean closeSession(String sessionId) {
        return closeSession(SessionServerServiceCloseSessionRequest.newBuilder()
                .setSessionId(sessionId).build()).getWasOpen();
    }

    public CompletableFuture<SessionServerServiceCloseSessionResponse> closeSessionAsync(
            SessionServerServiceCloseSessionRequest request) {
        return calls.async(SessionServerServiceGrpc.getCloseSessionMethod(), request);
    }

    // --- RemoveSession

    /** Deletes a session and its nested sessions without an audit event. */
    public RemoveSessionResponse removeSession(RemoveSessionRequest request) {
        return calls.blocking(SessionServerServiceGrpc.getRemoveSessionMethod(), request);
    }

    /** @return whether the session was open */
    public boolean removeSession(String sessionId) {
        return removeSession(RemoveSessionRequest.newBuilder().setSessionId(sessionId).build()).getWasOpen();
    }

    public CompletableFuture<RemoveSessionResponse> removeSessionAsync(RemoveSessionRequest request) {
        return calls.async(SessionServerServiceGrpc.getRemoveSessionMethod(), request);
    }

    // --- DeleteUserSessions

    /** Closes every session of a user, with audit events. */
    public DeleteUserSessionsResponse deleteUserSessions(DeleteUserSessionsRequest request) {
        return calls.blocking(SessionServerServiceGrpc.getDeleteUserSessionsMethod(), request);
    }

    /** @return how many of the user's sessions were closed */
    public int deleteUserSessions(String userId) {
        return deleteUserSessions(DeleteUserSessionsRequest.newBuilder().setUserId(userId).build()).getDeletedCount();
    }

    public CompletableFuture<DeleteUserSessionsResponse> deleteUserSessionsAsync(DeleteUserSessionsRequest request) {
        return calls.async(SessionServerServiceGrpc.getDeleteUserSessionsMethod(), request);
    }

    // --- CreateNestedSessionToken

    /** Opens a nested session for a user inside the session of {@code parent_token}. */
    public CreateNestedSessionTokenResponse createNestedSessionToken(CreateNestedSessionTokenRequest request) {
        return calls.blocking(SessionServerServiceGrpc.getCreateNestedSessionTokenMethod(), request);
    }

    /** Opens a nested session for the user {@code login} inside the session of {@code parentToken}. */
    public CreateNestedSessionTokenResponse createNestedSessionToken(String parentToken, String login,
            String applicationId) {
        return createNestedSessionToken(CreateNestedSessionTokenRequest.newBuilder()
                .setParentToken(parentToken).setLogin(login).setApplicationId(applicationId).build());
    }

    public CompletableFuture<CreateNestedSessionTokenResponse> createNestedSessionTokenAsync(
            CreateNestedSessionTokenRequest request) {
        return calls.async(SessionServerServiceGrpc.getCreateNestedSessionTokenMethod(), request);
    }
}
