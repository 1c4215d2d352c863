package dev.sessiond.server.api;

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
import dev.sessiond.server.audit.AuditTrail;
import dev.sessiond.server.audit.EventFilter;
import dev.sessiond.server.audit.StoredEvent;
import dev.sessiond.server.error.InvalidArgumentException;
import dev.sessiond.server.directory.DirectoryService;
import dev.sessiond.server.directory.InfoLevel;
import dev.sessiond.server.directory.SessionEntry;
import dev.sessiond.server.directory.SessionFilter;
import dev.sessiond.server.directory.SessionPage;
import dev.sessiond.server.user.UserService;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Optional;

/**
 * {@code sessiond.v1.SessionDirectoryService}, for administrators: the session directory
 * (NetSessionEnum / GetInfo / Del) and the audit trail listing.
 */
final class SessionDirectoryGrpcService extends SessionDirectoryServiceGrpc.SessionDirectoryServiceImplBase {

    private final DirectoryService directory;
    private final AuditTrail audit;
    private final Access access;

    SessionDirectoryGrpcService(DirectoryService directory, AuditTrail audit, Access access) {
        this.directory = requireNonNull(directory, "directory");
        this.audit = requireNonNull(audit, "audit");
        this.access = requireNonNull(access, "access");
    }

    @Override
    public void enumSessions(EnumSessionsRequest request, StreamObserver<EnumSessionsResponse> responses) {
        Rpc.unary(responses, () -> {
            access.admin();
            SessionFilter filter = filter(request.getClientHost(), request.getUserName());
            InfoLevel level = DirectoryMapper.fromProto(request.getLevel());
            int pageSize = Args.pageSize(request.getPageSize());
            SessionPage page = directory.enumerate(filter, level, pageSize, request.getPageToken());
            var out = EnumSessionsResponse.newBuilder()
                    .setNextPageToken(page.nextPageToken())
                    .setTotalSize(page.totalSize());
            for (SessionEntry entry : page.entries()) {
                out.addSessions(DirectoryMapper.toProto(entry, level));
            }
            return out.build();
        });
    }

    @Override
    public void getSessionInfo(GetSessionInfoRequest request, StreamObserver<GetSessionInfoResponse> responses) {
        Rpc.unary(responses, () -> {
            access.admin();
            SessionFilter filter = filter(request.getClientHost(), request.getUserName());
            InfoLevel level = DirectoryMapper.fromProto(request.getLevel());
            SessionEntry entry = directory.get(filter, level);
            return GetSessionInfoResponse.newBuilder().setSession(DirectoryMapper.toProto(entry, level)).build();
        });
    }

    @Override
    public void deleteSessions(DeleteSessionsRequest request, StreamObserver<DeleteSessionsResponse> responses) {
        Rpc.unary(responses, () -> {
            Caller caller = access.admin();
            int deleted = directory.delete(filter(request.getClientHost(), request.getUserName()), caller.actor());
            return DeleteSessionsResponse.newBuilder().setDeletedCount(deleted).build();
        });
    }

    @Override
    public void listSessionEvents(
            ListSessionEventsRequest request, StreamObserver<ListSessionEventsResponse> responses) {
        Rpc.unary(responses, () -> {
            access.admin();
            int pageSize = Args.pageSize(request.getPageSize());
            EventFilter filter = new EventFilter(
                    request.getUserId().isEmpty() ? Optional.empty() : Optional.of(Args.uuid("user_id", request.getUserId())),
                    request.getSessionId().isEmpty() ? Optional.empty()
                            : Optional.of(Args.uuid("session_id", request.getSessionId())),
                    AuditMapper.fromProto(request.getKind()),
                    request.hasStartTime() ? Optional.of(Protos.instant(request.getStartTime())) : Optional.empty(),
                    request.hasEndTime() ? Optional.of(Protos.instant(request.getEndTime())) : Optional.empty());
            if (filter.start().isPresent() && filter.end().isPresent() && filter.start().get().isAfter(filter.end().get())) {
                throw new InvalidArgumentException("start_time", "after end_time (expected: start_time <= end_time)");
            }
            List<StoredEvent> events = audit.list(filter, AuditMapper.decodePageToken(request.getPageToken()), pageSize + 1);
            var response = ListSessionEventsResponse.newBuilder();
            events.stream().limit(pageSize).forEach(e -> response.addEvents(AuditMapper.toProto(e)));
            if (events.size() > pageSize) {
                response.setNextPageToken(AuditMapper.encodePageToken(events.get(pageSize - 1).id()));
            }
            return response.build();
        });
    }

    /** Hosts are stored stripped (CallInfo strips the metadata), so the filter is too. */
    private static SessionFilter filter(String clientHost, String userName) {
        return new SessionFilter(
                Args.optional("client_host", clientHost.strip(), CallInfo.MAX_HOST),
                Args.optional("user_name", userName, UserService.MAX_LOGIN));
    }
}
