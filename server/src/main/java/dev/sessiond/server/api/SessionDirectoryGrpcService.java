package dev.sessiond.server.api;

import dev.sessiond.proto.v1.DeleteSessionsRequest;
import dev.sessiond.proto.v1.DeleteSessionsResponse;
import dev.sessiond.proto.v1.EnumSessionsRequest;
import dev.sessiond.proto.v1.EnumSessionsResponse;
import dev.sessiond.proto.v1.GetSessionInfoRequest;
import dev.sessiond.proto.v1.GetSessionInfoResponse;
import dev.sessiond.proto.v1.ListSessionEventsRequest;
import dev.sessiond.proto.v1.ListSessionEventsResponse;
import dev.sessiond.proto.v1.SessionDirectoryServiceGrpc;
import dev.sessiond.server.error.NotImplementedException;
import io.grpc.stub.StreamObserver;

/**
 * {@code sessiond.v1.SessionDirectoryService}. The directory and the audit listing are not
 * served yet; each RPC answers UNIMPLEMENTED naming the missing capability.
 */
final class SessionDirectoryGrpcService extends SessionDirectoryServiceGrpc.SessionDirectoryServiceImplBase {

    private static final String DIRECTORY = "the session directory (EnumSessions, GetSessionInfo, DeleteSessions)";

    @Override
    public void enumSessions(EnumSessionsRequest request, StreamObserver<EnumSessionsResponse> responses) {
        Rpc.unary(responses, () -> {
            throw new NotImplementedException(DIRECTORY);
        });
    }

    @Override
    public void getSessionInfo(GetSessionInfoRequest request, StreamObserver<GetSessionInfoResponse> responses) {
        Rpc.unary(responses, () -> {
            throw new NotImplementedException(DIRECTORY);
        });
    }

    @Override
    public void deleteSessions(DeleteSessionsRequest request, StreamObserver<DeleteSessionsResponse> responses) {
        Rpc.unary(responses, () -> {
            throw new NotImplementedException(DIRECTORY);
        });
    }

    @Override
    public void listSessionEvents(
            ListSessionEventsRequest request, StreamObserver<ListSessionEventsResponse> responses) {
        Rpc.unary(responses, () -> {
            throw new NotImplementedException("the audit trail listing (ListSessionEvents)");
        });
    }
}
