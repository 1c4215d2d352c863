package dev.sessiond.it.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dev.sessiond.client.KerberosException;
import dev.sessiond.client.KerberosLogin;
import dev.sessiond.client.OpenedSession;
import dev.sessiond.client.SessionException;
import dev.sessiond.client.SessionOpener;
import dev.sessiond.client.SessiondClient;
import dev.sessiond.proto.v1.CloseSessionRequest;
import dev.sessiond.proto.v1.CloseSessionResponse;
import dev.sessiond.proto.v1.ErrorReason;
import dev.sessiond.proto.v1.OpenSessionWindowsAuthRequest;
import dev.sessiond.proto.v1.OpenSessionWindowsAuthResponse;
import dev.sessiond.proto.v1.SessionClientServiceGrpc;
import dev.sessiond.proto.v1.User;
import dev.sessiond.server.testing.TestDirectory;
import dev.sessiond.server.testing.TestKdc;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.security.auth.Subject;
import javax.security.auth.kerberos.KerberosTicket;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.Oid;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code SessiondClient.openSessionWithKerberos} with real Kerberos: a KDC on loopback (realm
 * CORP.EXAMPLE.COM, which sessiond maps to domain CORP), keytabs and a ticket cache it issued,
 * the JDK's own Kerberos login and GSS-API inside the SDK, and a real sessiond holding the
 * service principal's keytab, with an LDAP directory for domain CORP.
 *
 * <p>The JDK keeps its Kerberos configuration ({@code java.security.krb5.conf}) JVM-wide, so
 * this class is tagged {@code kerberos} and runs in a JVM of its own (a failsafe execution of
 * its own, see integration-tests/pom.xml); it restores the property when it is done.
 */
@Tag("kerberos")
class KerberosSignInIT {

    private static final String SERVICE = "HTTP/sessiond.corp.example.com@CORP.EXAMPLE.COM";

    @TempDir
    static Path shared;
    static TestKdc kdc;
    static TestDirectory directory;
    static Path serviceKeytab;
    static Path aliceKeytab;
    static Path carolKeytab;
    static Path svcOrdersKeytab;
    static String previousKrb5Conf;

    @TempDir
    Path dir;
    SdkTestServer server;
    SessiondClient client;

    @BeforeAll
    static void startKdcAndDirectory() throws Exception {
        kdc = TestKdc.start("CORP.EXAMPLE.COM");
        serviceKeytab = shared.resolve("sessiond.keytab");
        kdc.addPrincipalToKeytab("HTTP/sessiond.corp.example.com", serviceKeytab.toFile());
        kdc.addPrincipal("HTTP/other.corp.example.com", "other-service-password"); // a service, but not sessiond's
        aliceKeytab = shared.resolve("alice.keytab");
        kdc.addPrincipalToKeytab("alice", aliceKeytab.toFile());
        carolKeytab = shared.resolve("carol.keytab");
        kdc.addPrincipalToKeytab("carol", carolKeytab.toFile()); // known to the KDC, not to the directory
        kdc.addPrincipal("bob", "bob-password");
        svcOrdersKeytab = shared.resolve("svc-orders.keytab");
        kdc.addPrincipalToKeytab("svc-orders", svcOrdersKeytab.toFile());

        Path krb5Conf = shared.resolve("krb5.conf");
        Files.writeString(krb5Conf, kdc.krb5Conf());
        previousKrb5Conf = System.setProperty("java.security.krb5.conf", krb5Conf.toString());

        directory = TestDirectory.start(shared);
        directory.addUser("alice", "alice-domain-password", "Alice Liddell");
        directory.addUser("bob", "bob-domain-password", "Bob Builder");
        directory.addUser("svc-orders", "unused-password", "Orders service");
    }

    @AfterAll
    static void stopKdcAndDirectory() throws Exception {
        if (previousKrb5Conf == null) {
            System.clearProperty("java.security.krb5.conf");
        } else {
            System.setProperty("java.security.krb5.conf", previousKrb5Conf);
        }
        directory.close();
        kdc.close();
    }

    @BeforeEach
    void startServer() {
        Map<String, String> settings = new HashMap<>(directory.settings("CORP"));
        settings.put("SESSIOND_KERBEROS_KEYTAB", serviceKeytab.toString());
        settings.put("SESSIOND_KERBEROS_PRINCIPAL", SERVICE);
        server = SdkTestServer.start(dir, settings);
        client = server.client(b -> b.applicationId("desktop-client"));
    }

    @AfterEach
    void stopServer() {
        client.close();
        server.close();
    }

    /** How many audit events of {@code kind} (OPENED, LOGIN_FAILED) the server recorded for Kerberos sign-ins. */
    private int kerberosEvents(String kind) {
        return server.database().withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM session_events WHERE kind = :kind AND auth_source = 'kerberos'")
                .bind("kind", kind).mapTo(Integer.class).one());
    }

    @Test
    void keytab_signsTheClientPrincipalInAsItsDomainUser_withSpnego() {
        OpenSessionWindowsAuthResponse opened = client.openSessionWithKerberos(
                KerberosLogin.keytab(SERVICE, aliceKeytab, "alice@CORP.EXAMPLE.COM"));

        User alice = opened.getSession().getUser();
        assertThat(alice.getLogin()).isEqualTo("CORP\\alice");
        assertThat(alice.getDisplayName()).as("from the domain's directory").isEqualTo("Alice Liddell");
        assertThat(opened.getSession().getApplicationId()).isEqualTo("desktop-client");
        assertThat(kerberosEvents("OPENED")).isEqualTo(1);
        assertThat(client.withToken(opened.getToken()).closeSession()).as("the token is a working session token").isTrue();
    }

    @Test
    void eachSignIn_sendsAFreshToken_once() throws Exception {
        KerberosLogin alice = KerberosLogin.keytab(SERVICE, aliceKeytab, "alice@CORP.EXAMPLE.COM");
        try (Relay relay = Relay.start(server.target(), UnaryOperator.identity()); SessiondClient viaRelay = relay.client()) {

            viaRelay.openSessionWithKerberos(alice);
            viaRelay.openSessionWithKerberos(alice);

            assertThat(relay.tokens).hasSize(2).doesNotHaveDuplicates();
        }
        assertThat(kerberosEvents("OPENED")).isEqualTo(2);
        assertThat(kerberosEvents("LOGIN_FAILED")).isZero();
    }

    @Test
    void theMechanism_isSpnegoUnlessKerberosIsAskedFor() throws Exception {
        KerberosLogin alice = KerberosLogin.keytab(SERVICE, aliceKeytab, "alice@CORP.EXAMPLE.COM");
        try (Relay relay = Relay.start(server.target(), UnaryOperator.identity()); SessiondClient viaRelay = relay.client()) {

            User viaSpnego = viaRelay.openSessionWithKerberos(alice).getSession().getUser();
            User viaKerberos = viaRelay.openSessionWithKerberos(alice.withMechanism(KerberosLogin.Mechanism.KERBEROS))
                    .getSession().getUser();

            assertThat(relay.tokens).extracting(KerberosSignInIT::mechanismOf)
                    .containsExactly("1.3.6.1.5.5.2", "1.2.840.113554.1.2.2");
            assertThat(viaSpnego.getLogin()).isEqualTo("CORP\\alice");
            assertThat(viaKerberos.getId()).isEqualTo(viaSpnego.getId());
        }
    }

    @Test
    void hostBasedServiceName_findsTheServicePrincipalInItsHostsRealm() {
        OpenSessionWindowsAuthResponse opened = client.openSessionWithKerberos(
                KerberosLogin.keytab("HTTP@sessiond.corp.example.com", aliceKeytab, "alice@CORP.EXAMPLE.COM"));

        assertThat(opened.getSession().getUser().getLogin()).isEqualTo("CORP\\alice");
    }

    @Test
    void ticketCache_signsInTheCachesPrincipal() throws Exception {
        Path cache = dir.resolve("krb5cc_bob");
        kdc.writeTicketCache("bob", "bob-password", cache.toFile()); // what `kinit bob` does

        OpenSessionWindowsAuthResponse opened = client.openSessionWithKerberos(KerberosLogin.ticketCache(SERVICE, cache));

        assertThat(opened.getSession().getUser().getLogin()).isEqualTo("CORP\\bob");
        assertThat(opened.getSession().getUser().getDisplayName()).isEqualTo("Bob Builder");
    }

    @Test
    void aSubjectTheApplicationLoggedIn_signsIn_andStaysLoggedIn() throws Exception {
        Subject subject = new Subject();
        Configuration keytabLogin = new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return new AppConfigurationEntry[] {new AppConfigurationEntry(
                        "com.sun.security.auth.module.Krb5LoginModule", AppConfigurationEntry.LoginModuleControlFlag.REQUIRED,
                        Map.of("useKeyTab", "true", "keyTab", aliceKeytab.toString(), "principal", "alice@CORP.EXAMPLE.COM",
                                "doNotPrompt", "true", "isInitiator", "true", "storeKey", "false"))};
            }
        };
        LoginContext application = new LoginContext("orders", subject, callbacks -> {}, keytabLogin);
        application.login();
        try {
            KerberosLogin alice = KerberosLogin.subject(SERVICE, subject);

            assertThat(client.openSessionWithKerberos(alice).getSession().getUser().getLogin()).isEqualTo("CORP\\alice");
            assertThat(client.openSessionWithKerberos(alice).getSession().getUser().getLogin()).isEqualTo("CORP\\alice");

            assertThat(subject.getPrivateCredentials(KerberosTicket.class)).as("the application's TGT is still there")
                    .anySatisfy(ticket -> assertThat(ticket.isDestroyed()).isFalse());
        } finally {
            application.logout();
        }
    }

    @Test
    void aKerberosOpener_opensTheSessionOfTheClientPrincipal() {
        OpenedSession opened = SessionOpener.kerberos(KerberosLogin.keytab(SERVICE, aliceKeytab, "alice@CORP.EXAMPLE.COM"))
                .open(client);

        assertThat(opened.session().getUser().getLogin()).isEqualTo("CORP\\alice");
    }

    @Test
    void ticketForAnotherServicePrincipal_isRefusedBySessiond_asInvalidCredentials() {
        SessionException e = catchThrowableOfType(SessionException.class, () -> client.openSessionWithKerberos(
                KerberosLogin.keytab("HTTP/other.corp.example.com@CORP.EXAMPLE.COM", aliceKeytab, "alice@CORP.EXAMPLE.COM")));

        assertThat(e.code()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_CREDENTIALS);
        assertThat(kerberosEvents("LOGIN_FAILED")).isEqualTo(1);
    }

    @Test
    void userUnknownToTheDomainsDirectory_isRefusedBySessiond_asInvalidCredentials() {
        SessionException e = catchThrowableOfType(SessionException.class, () -> client.openSessionWithKerberos(
                KerberosLogin.keytab(SERVICE, carolKeytab, "carol@CORP.EXAMPLE.COM")));

        assertThat(e.code()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_CREDENTIALS);
        assertThat(kerberosEvents("LOGIN_FAILED")).isEqualTo(1);
    }

    @Test
    void servicePrincipalUnknownToTheKdc_failsOnTheClient_beforeAnythingIsSent() {
        KerberosException e = catchThrowableOfType(KerberosException.class, () -> client.openSessionWithKerberos(
                KerberosLogin.keytab("HTTP/nowhere.corp.example.com@CORP.EXAMPLE.COM", aliceKeytab, "alice@CORP.EXAMPLE.COM")));

        assertThat(e).hasMessageStartingWith("cannot make a token for HTTP/nowhere.corp.example.com@CORP.EXAMPLE.COM: ");
        assertThat(e.getCause()).isInstanceOf(org.ietf.jgss.GSSException.class);
        assertThat(kerberosEvents("LOGIN_FAILED")).isZero();
    }

    @Test
    void keytabWithoutTheClientsKey_failsToLogIn_beforeAnythingIsSent() {
        KerberosException e = catchThrowableOfType(KerberosException.class, () -> client.openSessionWithKerberos(
                KerberosLogin.keytab(SERVICE, aliceKeytab, "bob@CORP.EXAMPLE.COM")));

        assertThat(e).hasMessageStartingWith("cannot log in to Kerberos as bob@CORP.EXAMPLE.COM with the keytab " + aliceKeytab
                + ": the keytab holds no key of bob@CORP.EXAMPLE.COM");
        assertThat(e.getCause()).isInstanceOf(javax.security.auth.login.LoginException.class);
        assertThat(kerberosEvents("LOGIN_FAILED")).isZero();
    }

    @Test
    void missingTicketCache_failsToLogIn() {
        Path none = dir.resolve("no-such-cache");

        KerberosException e = catchThrowableOfType(KerberosException.class,
                () -> client.openSessionWithKerberos(KerberosLogin.ticketCache(SERVICE, none)));

        assertThat(e).hasMessageStartingWith("cannot log in to Kerberos with the ticket cache " + none
                + ": there is no such file");
        assertThat(kerberosEvents("LOGIN_FAILED")).isZero();
    }

    @Test
    void aServerWhoseAnswerDoesNotProveItsIdentity_isRefused_andTheSessionItOpenedIsClosed() throws Exception {
        // An impostor between the SDK and sessiond: it passes the token on and the session back,
        // but cannot make (here: spoils, or leaves out) the answer only the service's key can make.
        for (UnaryOperator<ByteString> spoil : List.<UnaryOperator<ByteString>>of(
                answer -> flipLastByte(answer), answer -> ByteString.EMPTY)) {
            try (Relay impostor = Relay.start(server.target(), spoil); SessiondClient viaImpostor = impostor.client()) {
                KerberosException e = catchThrowableOfType(KerberosException.class, () -> viaImpostor.openSessionWithKerberos(
                        KerberosLogin.keytab(SERVICE, aliceKeytab, "alice@CORP.EXAMPLE.COM")));

                assertThat(e).hasMessageContaining("prove").hasMessageEndingWith("the session it opened was closed");
                assertThat(impostor.sessionIds).hasSize(1);
                assertThat(server.eventKinds(impostor.sessionIds.get(0))).containsExactly("OPENED", "CLOSED");
            }
        }
    }

    @Test
    void theReadmesDomainExample_isTheCompiledExample() {
        assertThat(Readme.javaBlock("Domain and Windows sign-in"))
                .as("README.md's '## Domain and Windows sign-in' section has a java code block").isPresent();
        assertThat(Readme.markedCode("ReadmeDomainExample")).as("ReadmeDomainExample.java has the README markers")
                .isPresent();

        assertThat(Readme.javaBlock("Domain and Windows sign-in")).isEqualTo(Readme.markedCode("ReadmeDomainExample"));
    }

    @Test
    void theReadmesDomainExample_signsInAsItSays() {
        assertThat(ReadmeDomainExample.signInWithKeytab(client, svcOrdersKeytab).getSession().getUser().getLogin())
                .isEqualTo("CORP\\svc-orders");
        assertThat(ReadmeDomainExample.signInWithDomainPassword(client, "alice-domain-password").getSession().getUser()
                .getLogin()).isEqualTo("CORP\\alice");
    }

    /** The mechanism of a GSS-API initial context token (RFC 2743 3.1: tag 0x60, length, mechanism OID, ...). */
    private static String mechanismOf(ByteString token) {
        byte[] bytes = token.toByteArray();
        assertThat(bytes[0]).as("GSS-API initial context token tag").isEqualTo((byte) 0x60);
        int oid = (bytes[1] & 0x80) == 0 ? 2 : 2 + (bytes[1] & 0x7f);
        try {
            return new Oid(Arrays.copyOfRange(bytes, oid, oid + 2 + bytes[oid + 1])).toString();
        } catch (GSSException e) {
            throw new AssertionError("not a mechanism OID: " + e.getMessage(), e);
        }
    }

    private static ByteString flipLastByte(ByteString bytes) {
        byte[] spoiled = bytes.toByteArray();
        spoiled[spoiled.length - 1] ^= 0x01;
        return ByteString.copyFrom(spoiled);
    }

    /**
     * A SessionClientService between the SDK and sessiond: forwards OpenSessionWindowsAuth and
     * CloseSession (with the caller's authorization), records the tokens it forwards and the
     * sessions opened, and hands back sessiond's mutual-authentication token as {@code answer}
     * makes it: unchanged (a recording relay), or spoiled (an impostor).
     */
    private static final class Relay extends SessionClientServiceGrpc.SessionClientServiceImplBase
            implements AutoCloseable {

        private static final Metadata.Key<String> AUTHORIZATION_HEADER =
                Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
        private static final Context.Key<String> AUTHORIZATION = Context.key("authorization");

        final List<ByteString> tokens = new CopyOnWriteArrayList<>();
        final List<String> sessionIds = new CopyOnWriteArrayList<>();
        private final ManagedChannel upstream;
        private final UnaryOperator<ByteString> answer;
        private Server server;

        private Relay(ManagedChannel upstream, UnaryOperator<ByteString> answer) {
            this.upstream = upstream;
            this.answer = answer;
        }

        static Relay start(String sessiond, UnaryOperator<ByteString> answer) throws IOException {
            Relay relay = new Relay(
                    Grpc.newChannelBuilder(sessiond, InsecureChannelCredentials.create()).build(), answer);
            ServerInterceptor keepAuthorization = new ServerInterceptor() {
                @Override
                public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                        ServerCallHandler<Q, R> next) {
                    String authorization = headers.get(AUTHORIZATION_HEADER);
                    return Contexts.interceptCall(Context.current().withValue(AUTHORIZATION, authorization),
                            call, headers, next);
                }
            };
            relay.server = NettyServerBuilder.forAddress(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), InsecureServerCredentials.create())
                    .addService(ServerInterceptors.intercept(relay, keepAuthorization))
                    .build().start();
            return relay;
        }

        /** A client of sessiond through this relay. */
        SessiondClient client() {
            return SessiondClient.builder().target(InetAddress.getLoopbackAddress().getHostAddress() + ":" + server.getPort())
                    .plaintext().build();
        }

        private SessionClientServiceGrpc.SessionClientServiceBlockingStub sessiond() {
            Metadata headers = new Metadata();
            String authorization = AUTHORIZATION.get();
            if (authorization != null) {
                headers.put(AUTHORIZATION_HEADER, authorization);
            }
            return SessionClientServiceGrpc.newBlockingStub(upstream)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .withDeadlineAfter(10, TimeUnit.SECONDS);
        }

        @Override
        public void openSessionWindowsAuth(OpenSessionWindowsAuthRequest request,
                StreamObserver<OpenSessionWindowsAuthResponse> responses) {
            tokens.add(request.getSpnegoToken());
            try {
                OpenSessionWindowsAuthResponse real = sessiond().openSessionWindowsAuth(request);
                sessionIds.add(real.getSession().getId());
                responses.onNext(real.toBuilder().setSpnegoResponse(answer.apply(real.getSpnegoResponse())).build());
                responses.onCompleted();
            } catch (RuntimeException e) {
                responses.onError(e);
            }
        }

        @Override
        public void closeSession(CloseSessionRequest request, StreamObserver<CloseSessionResponse> responses) {
            try {
                responses.onNext(sessiond().closeSession(request));
                responses.onCompleted();
            } catch (RuntimeException e) {
                responses.onError(e);
            }
        }

        @Override
        public void close() throws InterruptedException {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            upstream.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
