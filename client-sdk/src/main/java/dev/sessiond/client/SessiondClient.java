package dev.sessiond.client;

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
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The Java client of sessiond. Its own methods are {@code SessionClientService} (signing in and
 * closing sessions); {@link #server()}, {@link #directory()} and {@link #users()} reach the
 * other three services. Every RPC comes as a request-object method, a flattened one taking the
 * fields, and an {@code ...Async} request-object method returning a {@link CompletableFuture};
 * every failure is a {@link SessionException}.
 *
 * <pre>{@code
 * try (SessiondClient sessiond = SessiondClient.builder()
 *         .target("localhost:50051")
 *         .plaintext()
 *         .applicationId("web-client")
 *         .build()) {
 *     OpenSessionResponse opened = sessiond.openSession("alice", password);
 *     SessiondClient alice = sessiond.withToken(opened.getToken());
 *     alice.closeSession();
 * }
 * }</pre>
 *
 * <p>Every call carries the client's token (if it has one) and culture, see
 * {@link SessiondClientInterceptor}. {@link #withToken}, {@link #withCulture} and
 * {@link #withDeadline} return views that share this client's channel; closing a view does
 * nothing, closing the client the builder built closes the channel for all of them.
 * Thread-safe: one client (and its views) may serve any number of threads.
 */
public final class SessiondClient implements AutoCloseable {

    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    /** The channel this client closes; null for views and for channels the caller lent. */
    private final ManagedChannel ownedChannel;
    private final Calls calls;
    private final String applicationId;
    private final Supplier<ClientCulture> culture;
    private final SessionServerClient server;
    private final SessionDirectoryClient directory;
    private final UserAdminClient users;

    SessiondClient(ManagedChannel ownedChannel, Calls calls, String applicationId, Supplier<ClientCulture> culture) {
        this.ownedChannel = ownedChannel;
        this.calls = requireNonNull(calls, "calls");
        this.applicationId = requireNonNull(applicationId, "applicationId");
        this.culture = requireNonNull(culture, "culture");
        this.server = new SessionServerClient(calls);
        this.directory = new SessionDirectoryClient(calls);
        this.users = new UserAdminClient(calls);
    }

    /** A builder for a client; see the class example. */
    public static SessiondClientBuilder builder() {
        return new SessiondClientBuilder();
    }

    /** A view of this client that authenticates as {@code token} (from an open-session response). */
    public SessiondClient withToken(String token) {
        requireNonNull(token, "token");
        return view(calls.withOption(SessiondClientInterceptor.TOKEN, token), culture);
    }

    /**
     * A view of this client that sends {@code culture} instead of the configured one; use
     * {@code withCulture(client.currentCulture().withCulture(Locale.GERMANY))} to change one
     * component, {@link ClientCulture#NONE} to send none.
     */
    public SessiondClient withCulture(ClientCulture culture) {
        requireNonNull(culture, "culture");
        return view(calls.withOption(SessiondClientInterceptor.CULTURE, culture), () -> culture);
    }

    /** A view of this client whose calls have {@code deadline} each. */
    public SessiondClient withDeadline(Duration deadline) {
        SessiondClientBuilder.checkPositive("deadline", deadline);
        return view(calls.withDeadline(deadline), culture);
    }

    private SessiondClient view(Calls viewCalls, Supplier<ClientCulture> viewCulture) {
        return new SessiondClient(null, viewCalls, applicationId, viewCulture);
    }

    /** The culture this client's next call would send. */
    public ClientCulture currentCulture() {
        return culture.get();
    }

    /** The application id the flattened sign-in methods send. */
    public String applicationId() {
        return applicationId;
    }

    /** The deadline of each call. */
    public Duration deadline() {
        return calls.deadline();
    }

    /** {@code SessionServerService}: sessions for trusted callers (service accounts and administrators). */
    public SessionServerClient server() {
        return server;
    }

    /** {@code SessionDirectoryService}: the session directory and the audit trail (administrators). */
    public SessionDirectoryClient directory() {
        return directory;
    }

    /** {@code UserAdminService}: user accounts (administrators). */
    public UserAdminClient users() {
        return users;
    }

    // --- SessionClientService.OpenSession

    /** Signs a user in with login and password and opens a session. Needs no token. */
    public OpenSessionResponse openSession(OpenSessionRequest request) {
        return calls.blocking(SessionClientServiceGrpc.getOpenSessionMethod(), request);
    }

    /** Signs {@code login} in for this client's {@link #applicationId()}. */
    public OpenSessionResponse openSession(String login, String password) {
        return openSession(login, password, "");
    }

    /**
     * Signs a user of directory domain {@code domain} in with their domain password, for this
     * client's {@link #applicationId()}: sessiond checks the password with an LDAP bind, and the
     * session's user is {@code DOMAIN\}{@code user} (created on the first sign-in). {@code login}
     * may be the bare user name, or {@code DOMAIN\}{@code user} / {@code user@domain} naming the
     * same domain. Wrong password, unknown user and unknown domain are all
     * {@code INVALID_CREDENTIALS}; a login and domain that disagree are {@code INVALID_ARGUMENT}
     * (field {@code domain}).
     *
     * @param domain the domain, e.g. {@code CORP} or one of its aliases; empty for a local user
     */
    public OpenSessionResponse openSession(String login, String password, String domain) {
        return openSession(OpenSessionRequest.newBuilder()
                .setLogin(login).setPassword(password).setDomain(domain).setApplicationId(applicationId).build());
    }

    public CompletableFuture<OpenSessionResponse> openSessionAsync(OpenSessionRequest request) {
        return calls.async(SessionClientServiceGrpc.getOpenSessionMethod(), request);
    }

    // --- SessionClientService.OpenSessionWindowsAuth

    /** Signs a Windows user in with a Kerberos/SPNEGO token. Needs no token of its own. */
    public OpenSessionWindowsAuthResponse openSessionWindowsAuth(OpenSessionWindowsAuthRequest request) {
        return calls.blocking(SessionClientServiceGrpc.getOpenSessionWindowsAuthMethod(), request);
    }

    /** Signs in with {@code spnegoToken} for this client's {@link #applicationId()}. */
    public OpenSessionWindowsAuthResponse openSessionWindowsAuth(byte[] spnegoToken) {
        return openSessionWindowsAuth(OpenSessionWindowsAuthRequest.newBuilder()
                .setSpnegoToken(ByteString.copyFrom(spnegoToken)).setApplicationId(applicationId).build());
    }

    /**
     * Signs in with the JVM's Kerberos credentials, for this client's {@link #applicationId()}:
     * logs in as {@code login} says (a keytab, a ticket cache or a {@code Subject} of yours),
     * makes a SPNEGO (or Kerberos) token for sessiond's service principal, sends it in one
     * {@code OpenSessionWindowsAuth} call, and checks sessiond's {@code spnego_response}, so
     * that the session is known to come from the service the principal names (mutual
     * authentication). The session's user is {@code DOMAIN\}{@code user} for the client
     * principal {@code user@REALM}.
     *
     * <pre>{@code
     * OpenSessionWindowsAuthResponse opened = sessiond.openSessionWithKerberos(KerberosLogin.keytab(
     *         "HTTP/sessiond.corp.example.com@CORP.EXAMPLE.COM",
     *         Path.of("/etc/orders/svc-orders.keytab"), "svc-orders@CORP.EXAMPLE.COM"));
     * }</pre>
     *
     * <p>Blocks for the KDC's answers as well as sessiond's (the KDC's timeouts are those of the
     * JVM's Kerberos configuration). The token is sent once and never retried: sessiond would
     * refuse a second sending as a replay. Calling again makes a fresh token. (With a channel
     * of your own, {@link SessiondClientBuilder#channel}, keep {@code OpenSessionWindowsAuth}
     * out of its retry policy.)
     *
     * @throws KerberosException if Kerberos fails on this side: no login, no ticket for the
     *     service, or a server that does not prove its identity (its session is then closed)
     * @throws SessionException if sessiond refuses the sign-in, e.g. {@code INVALID_CREDENTIALS}
     *     for a ticket made for another service principal or a user unknown to the domain
     */
    public OpenSessionWindowsAuthResponse openSessionWithKerberos(KerberosLogin login) {
        return new KerberosSignIn(login).open(this);
    }

    public CompletableFuture<OpenSessionWindowsAuthResponse> openSessionWindowsAuthAsync(
            OpenSessionWindowsAuthRequest request) {
        return calls.async(SessionClientServiceGrpc.getOpenSessionWindowsAuthMethod(), request);
    }

    // --- SessionClientService.CloseSession

    /** Closes the caller's own session (the one of this client's token). */
    public CloseSessionResponse closeSession(CloseSessionRequest request) {
        return calls.blocking(SessionClientServiceGrpc.getCloseSessionMethod(), request);
    }

    /** Closes the caller's own session. @return whether it was still open */
    public boolean closeSession() {
        return closeSession(CloseSessionRequest.getDefaultInstance()).getWasOpen();
    }

    public CompletableFuture<CloseSessionResponse> closeSessionAsync(CloseSessionRequest request) {
        return calls.async(SessionClientServiceGrpc.getCloseSessionMethod(), request);
    }

    // --- SessionClientService.CloseSessionAsAdmin

    /** Closes any session by id; the caller must be an administrator. */
    public CloseSessionAsAdminResponse closeSessionAsAdmin(CloseSessionAsAdminRequest request) {
        return calls.blocking(SessionClientServiceGrpc.getCloseSessionAsAdminMethod(), request);
    }

    /** Closes session {@code sessionId} as an administrator. @return whether it was still open */
    public boolean closeSessionAsAdmin(String sessionId) {
        return closeSessionAsAdmin(CloseSessionAsAdminRequest.newBuilder().setSessionId(sessionId).build()).getWasOpen();
    }

    public CompletableFuture<CloseSessionAsAdminResponse> closeSessionAsAdminAsync(CloseSessionAsAdminRequest request) {
        return calls.async(SessionClientServiceGrpc.getCloseSessionAsAdminMethod(), request);
    }

    // --- SessionClientService.IncrementConfigurationVersion

    /** Raises the store-wide configuration version by one; the caller must be an administrator. */
    public IncrementConfigurationVersionResponse incrementConfigurationVersion(
            IncrementConfigurationVersionRequest request) {
        return calls.blocking(SessionClientServiceGrpc.getIncrementConfigurationVersionMethod(), request);
    }

    /** @return the new configuration version */
    public long incrementConfigurationVersion() {
        return incrementConfigurationVersion(IncrementConfigurationVersionRequest.getDefaultInstance())
                .getConfigurationVersion();
    }

    public CompletableFuture<IncrementConfigurationVersionResponse> incrementConfigurationVersionAsync(
            IncrementConfigurationVersionRequest request) {
        return calls.async(SessionClientServiceGrpc.getIncrementConfigurationVersionMethod(), request);
    }

    /**
     * Closes the channel this client's builder created: waits up to 5 s for calls in flight, then
     * cancels them. Does nothing for views and for a channel given to the builder with
     * {@link SessiondClientBuilder#channel}.
     */
    @Override
    public void close() {
        if (ownedChannel == null) {
            return;
        }
        ownedChannel.shutdown();
        try {
            if (!ownedChannel.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                ownedChannel.shutdownNow();
            }
        } catch (InterruptedException e) {
            ownedChannel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
