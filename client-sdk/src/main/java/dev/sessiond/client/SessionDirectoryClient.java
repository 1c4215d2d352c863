package dev.sessiond.client;

import static java.util.Objects.requireNonNull;

import dev.sessiond.proto.v1.DeleteSessionsRequest;
import dev.sessiond.proto.v1.DeleteSessionsResponse;
import dev.sessiond.proto.v1.EnumSessionsRequest;
import dev.sessiond.proto.v1.EnumSessionsResponse;
import dev.sessiond.proto.v1.GetSessionInfoRequest;
import dev.sessiond.proto.v1.GetSessionInfoResponse;
import dev.sessiond.proto.v1.ListSessionEventsRequest;
import dev.sessiond.proto.v1.ListSessionEventsResponse;
import dev.sessiond.proto.v1.SessionDirectoryServiceGrpc;
import dev.sessiond.proto.v1.SessionEvent;
import dev.sessiond.proto.v1.SessionEventKind;
import dev.sessiond.proto.v1.SessionInfo;
import dev.sessiond.proto.v1.SessionInfoLevel;
import java.util.concurrent.CompletableFuture;

/**
 * {@code SessionDirectoryService}: who is connected from where, ending sessions by machine or
 * user, and the audit trail. The client's token must belong to an administrator. Obtained from
 * {@link SessiondClient#directory()}; shares its client's channel, token and culture.
 * Thread-safe.
 */
public final class SessionDirectoryClient {

    private final Calls calls;

    SessionDirectoryClient(Calls calls) {
        this.calls = requireNonNull(calls, "calls");
    }

    // --- EnumSessions

    /** The sessions matching the request's filters, from its page on, fetched page by page. */
    public Paged<SessionInfo> enumSessions(EnumSessionsRequest request) {
        return new Paged<>(request.getPageToken(), token -> {
            EnumSessionsResponse page = enumSessionsPage(request.toBuilder().setPageToken(token).build());
            return new Paged.Page<>(page.getSessionsList(), page.getNextPageToken());
        });
    }

    /** The sessions of {@code userName} on {@code clientHost} (empty = any) at {@code level}. */
    public Paged<SessionInfo> enumSessions(String clientHost, String userName, SessionInfoLevel level) {
        return enumSessions(EnumSessionsRequest.newBuilder()
                .setClientHost(clientHost).setUserName(userName).setLevel(level).build());
    }

    /** One page, for callers that keep page tokens themselves. */
    public EnumSessionsResponse enumSessionsPage(EnumSessionsRequest request) {
        return calls.blocking(SessionDirectoryServiceGrpc.getEnumSessionsMethod(), request);
    }

    /** One page. */
    public CompletableFuture<EnumSessionsResponse> enumSessionsAsync(EnumSessionsRequest request) {
        return calls.async(SessionDirectoryServiceGrpc.getEnumSessionsMethod(), request);
    }

    // --- GetSessionInfo

    /** The session of one user on one client host. */
    public GetSessionInfoResponse getSessionInfo(GetSessionInfoRequest request) {
        return calls.blocking(SessionDirectoryServiceGrpc.getGetSessionInfoMethod(), request);
    }

    public SessionInfo getSessionInfo(String clientHost, String userName, SessionInfoLevel level) {
        return getSessionInfo(GetSessionInfoRequest.newBuilder()
                .setClientHost(clientHost).setUserName(userName).setLevel(level).build()).getSession();
    }

    public CompletableFuture<GetSessionInfoResponse> getSessionInfoAsync(GetSessionInfoRequest request) {
        return calls.async(SessionDirectoryServiceGrpc.getGetSessionInfoMethod(), request);
    }

    // --- DeleteSessions

    /** Closes every session matching the filters (at least one of them set). */
    public DeleteSessionsResponse deleteSessions(DeleteSessionsRequest request) {
        return calls.blocking(SessionDirectoryServiceGrpc.getDeleteSessionsMethod(), request);
    }

    /** @return how many sessions were closed */
    public int deleteSessions(String clientHost, String userName) {
        return deleteSessions(DeleteSessionsRequest.newBuilder()
                .setClientHost(clientHost).setUserName(userName).build()).getDeletedCount();
    }

    public CompletableFuture<DeleteSessionsResponse> deleteSessionsAsync(DeleteSessionsRequest request) {
        return calls.async(SessionDirectoryServiceGrpc.getDeleteSessionsMethod(), request);
    }

    // --- ListSessionEvents

    /** The audit events matching the request's filters, newest first, from its page on. */
    public Paged<SessionEvent> listSessionEvents(ListSessionEventsRequest request) {
        return new Paged<>(request.getPageToken(), token -> {
            ListSessionEventsResponse page = listSessionEventsPage(request.toBuilder().setPageToken(token).build());
            return new Paged.Page<>(page.getEventsList(), page.getNextPageToken());
        });
    }

    /**
     * The audit events about {@code userId} and {@code sessionId} of {@code kind}, newest first;
     * empty ids and {@link SessionEventKind#SESSION_EVENT_KIND_UNSPECIFIED} match everything.
     */
    public Paged<SessionEvent> listSessionEvents(String userId, String sessionId, SessionEventKind kind) {
        return listSessionEvents(ListSessionEventsRequest.newBuilder()
                .setUserId(userId).setSessionId(sessionId).setKind(kind).build());
    }

    /** One page, for callers that keep page tokens themselves. */
    public ListSessionEventsResponse listSessionEventsPage(ListSessionEventsRequest request) {
        return calls.blocking(SessionDirectoryServiceGrpc.getListSessionEventsMethod(), request);
    }

    /** One page. */
    public CompletableFuture<ListSessionEventsResponse> listSessionEventsAsync(ListSessionEventsRequest request) {
        return calls.async(SessionDirectoryServiceGrpc.getListSessionEventsMethod(), request);
    }
}
