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
import dev.sessiond.server.directory.DirectoryService;
import dev.sessiond.server.directory.InfoLevel;
import dev.sessiond.server.directory.SessionEntry;
import dev.sessiond.server.directory.SessionFilter;
import dev.sessiond.server.directory.SessionPage;
import dev.sessiond.server.error.NotImplementedException;
import dev.sessiond.server.user.UserService;
import io.grpc.stub.StreamObserver;

/**
 * {@code sessiond.v1.SessionDirectoryService}: the session directory, for administrators. The
 * audit listing is not served yet and answers UNIMPLEMENTED.
 */
final class SessionDirectoryGrpcService extends SessionDirectoryServiceGrpc.SessionDirectoryServiceImplBase {

    private final DirectoryService directory;
    private final Access access;

    SessionDirectoryGrpcService(DirectoryService directory, Access access) {
        this.directory = requireNonNull(directory, "directory");
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
            throw new NotImplementedException("the audit trail listing (ListSessionEvents)");
        });
    }

    /** Hosts are stored stripped (CallInfo strips the metadata), so the filter is too. */
    private static SessionFilter filter(String clientHost, String userName) {
        return new SessionFilter(
                Args.optional("client_host", clientHost.strip(), CallInfo.MAX_HOST),
                Args.optional("user_name", userName, UserService.MAX_LOGIN));
    }
}
