package dev.sessiond.it.sdk;

import dev.sessiond.client.SessionAuthInterceptor;
import dev.sessiond.client.SessionController;
import dev.sessiond.client.SessionException;
import dev.sessiond.client.SessionLease;
import dev.sessiond.client.SessionOpener;
import dev.sessiond.client.SessiondClient;
import dev.sessiond.proto.v1.OpenSessionResponse;
import dev.sessiond.proto.v1.Session;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptors;
import java.io.IOException;

/**
 * The SDK example of README.md's "SDK" section. The code between the README markers is the
 * README's code block, character for character ({@code ReadmeExampleIT} checks that and runs it
 * against a real server), so the README's example always compiles and works.
 */
final class ReadmeExample {

    private ReadmeExample() {}

    // README:begin
    /** Alice signs in from a web client; a service checks her token; she signs out. */
    static String signInAndOut(String target, String alicePassword, String serviceToken) {
        try (SessiondClient sessiond = SessiondClient.builder()
                .target(target)                  // e.g. "localhost:50051"
                .plaintext()                     // TLS is the default
                .applicationId("web-client")     // culture, UI culture, UTC offset, host: the JVM's
                .build()) {
            OpenSessionResponse opened = sessiond.openSession("alice", alicePassword);

            Session session = sessiond.withToken(serviceToken).server()
                    .validateAndGetSession(opened.getToken()).getSession();

            sessiond.withToken(opened.getToken()).closeSession();
            return session.getUser().getLogin();
        } catch (SessionException e) {
            // e.reason() is the contract's ErrorReason, e.g. INVALID_CREDENTIALS
            throw new IllegalStateException("sessiond refused: " + e.reason(), e);
        }
    }

    /** Another service holds one kept-alive session of its own... */
    static SessionController ownSession(SessiondClient sessiond, String servicePassword) {
        return SessionController.builder(sessiond, SessionOpener.password("svc-orders", servicePassword)).build();
    }

    /** ...and lets only callers with a valid sessiond token in; handlers read SessionContext.current(). */
    static Server guard(ServerBuilder<?> server, SessiondClient sessiond, SessionController own,
            BindableService service) throws IOException {
        SessionLease lease = own.tryOpen().orElseThrow(); // held while the server runs
        SessionAuthInterceptor auth = SessionAuthInterceptor.builder(sessiond.withToken(lease.token())).build();
        return server.addService(ServerInterceptors.intercept(service, auth)).build().start();
    }
    // README:end
}
