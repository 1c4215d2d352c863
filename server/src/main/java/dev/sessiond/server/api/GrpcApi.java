package dev.sessiond.server.api;

import dev.sessiond.server.audit.AuditTrail;
import dev.sessiond.server.directory.DirectoryService;
import dev.sessiond.server.session.SessionService;
import dev.sessiond.server.session.SignInService;
import dev.sessiond.server.user.UserService;
import io.grpc.BindableService;
import java.util.List;

/** The sessiond.v1 services, wired to the domain; the only way in to this package's adapters. */
public final class GrpcApi {

    private GrpcApi() {}

    /** The four sessiond.v1 services. Install {@link CallContextInterceptor} on the server as well. */
    public static List<BindableService> services(SessionService sessions, SignInService signIn, UserService users,
            AuditTrail audit, DirectoryService directory, String platformVersion) {
        Access access = new Access(sessions);
        return List.of(
                new SessionClientGrpcService(signIn, sessions, access, platformVersion),
                new SessionServerGrpcService(sessions, users, access),
                new SessionDirectoryGrpcService(directory, audit, access),
                new UserAdminGrpcService(users, access));
    }
}
