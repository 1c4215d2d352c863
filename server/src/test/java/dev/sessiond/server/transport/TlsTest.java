package dev.sessiond.server.transport;

import static dev.sessiond.server.testing.Errors.assertStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessiond.proto.v1.OpenSessionRequest;
import dev.sessiond.proto.v1.OpenSessionResponse;
import dev.sessiond.proto.v1.SessionClientServiceGrpc;
import dev.sessiond.server.config.ConfigException;
import dev.sessiond.server.config.ConfigLoader;
import dev.sessiond.server.testing.NetworkServer;
import dev.sessiond.server.testing.TestCertificates;
import dev.sessiond.server.testing.TestCertificates.Authority;
import dev.sessiond.server.testing.TestCertificates.Issued;
import dev.sessiond.server.testing.TestServer;
import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS and mutual TLS on the gRPC port, with certificates these tests make themselves. */
class TlsTest {

    @TempDir
    Path dir;

    @Test
    void tls_servesEncryptedCalls_andSessionsReportGrpcPlusTls() throws IOException {
        Authority ca = TestCertificates.authority(dir, "ca", "sessiond test CA");
        Issued server = ca.issue(dir, "server", "localhost");
        try (NetworkServer sessiond = NetworkServer.start(dir, tls(server, null))) {
            ChannelCredentials trusting = TlsChannelCredentials.newBuilder().trustManager(ca.certificate.toFile()).build();

            OpenSessionResponse opened = login(sessiond.channel(trusting));

            assertThat(opened.getSession().getTransport()).isEqualTo("grpc+tls");
            assertStatus(() -> login(sessiond.channel()), Status.Code.UNAVAILABLE); // plaintext to a TLS port
        }
    }

    @Test
    void mutualTls_admitsOnlyClientsWithACertificateFromTheClientCa() throws IOException {
        Authority ca = TestCertificates.authority(dir, "ca", "sessiond test CA");
        Issued server = ca.issue(dir, "server", "localhost");
        Authority clientCa = TestCertificates.authority(dir, "client-ca", "client CA");
        Issued client = clientCa.issue(dir, "client", "billing-service");
        Issued stranger = TestCertificates.authority(dir, "other-ca", "someone else's CA").issue(dir, "stranger", "x");
        try (NetworkServer sessiond = NetworkServer.start(dir, tls(server, clientCa.certificate))) {
            var trusting = TlsChannelCredentials.newBuilder().trustManager(ca.certificate.toFile());

            OpenSessionResponse opened = login(sessiond.channel(trusting
                    .keyManager(client.certificate().toFile(), client.privateKey().toFile()).build()));
            assertThat(opened.getSession().getTransport()).isEqualTo("grpc+tls");

            var withoutCertificate = TlsChannelCredentials.newBuilder().trustManager(ca.certificate.toFile()).build();
            assertStatus(() -> login(sessiond.channel(withoutCertificate)), Status.Code.UNAVAILABLE);
            var withStrangersCertificate = TlsChannelCredentials.newBuilder().trustManager(ca.certificate.toFile())
                    .keyManager(stranger.certificate().toFile(), stranger.privateKey().toFile()).build();
            assertStatus(() -> login(sessiond.channel(withStrangersCertificate)), Status.Code.UNAVAILABLE);
        }
    }

    @Test
    void unusableTlsFiles_areBadSettingsNamingTheVariable() throws IOException {
        Authority ca = TestCertificates.authority(dir, "ca", "sessiond test CA");
        Issued server = ca.issue(dir, "server", "localhost");
        Issued other = ca.issue(dir, "other", "localhost");
        Path notPem = Files.writeString(dir.resolve("not.pem"), "this is not PEM\n");

        assertBadSetting(Map.of("SESSIOND_TLS_CERT", server.certificate().toString(),
                "SESSIOND_TLS_KEY", other.privateKey().toString()), "SESSIOND_TLS_KEY", "does not belong");
        assertBadSetting(Map.of("SESSIOND_TLS_CERT", server.certificate().toString(),
                "SESSIOND_TLS_KEY", server.traditionalKey(dir.resolve("sec1.key")).toString()),
                "SESSIOND_TLS_KEY", "PKCS#8");
        assertBadSetting(Map.of("SESSIOND_TLS_CERT", notPem.toString(),
                "SESSIOND_TLS_KEY", server.privateKey().toString()), "SESSIOND_TLS_CERT", "not a PEM certificate");
        assertBadSetting(Map.of("SESSIOND_TLS_CERT", server.certificate().toString(),
                "SESSIOND_TLS_KEY", server.privateKey().toString(), "SESSIOND_TLS_CLIENT_CA", notPem.toString()),
                "SESSIOND_TLS_CLIENT_CA", "not a PEM certificate");
        assertBadSetting(Map.of("SESSIOND_TLS_CERT", server.certificate().toString()), "SESSIOND_TLS_KEY", "missing");
        assertBadSetting(Map.of("SESSIOND_TLS_CLIENT_CA", ca.certificate.toString()),
                "SESSIOND_TLS_CLIENT_CA", "mutual TLS needs TLS");
        assertBadSetting(Map.of("SESSIOND_TLS_CERT", dir.resolve("missing.crt").toString(),
                "SESSIOND_TLS_KEY", server.privateKey().toString()), "SESSIOND_TLS_CERT", "not a readable file");
    }

    private static void assertBadSetting(Map<String, String> env, String variable, String problem) {
        assertThatThrownBy(() -> NettyTransport.serverBuilder(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), ConfigLoader.load(env).transport()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(variable + ": ")
                .hasMessageContaining(problem);
    }

    private static Map<String, String> tls(Issued server, Path clientCa) {
        Map<String, String> settings = new HashMap<>();
        settings.put("SESSIOND_TLS_CERT", server.certificate().toString());
        settings.put("SESSIOND_TLS_KEY", server.privateKey().toString());
        if (clientCa != null) {
            settings.put("SESSIOND_TLS_CLIENT_CA", clientCa.toString());
        }
        return settings;
    }

    private static OpenSessionResponse login(ManagedChannel channel) {
        return SessionClientServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .openSession(OpenSessionRequest.newBuilder().setLogin("admin").setPassword(TestServer.ADMIN_PASSWORD)
                        .setApplicationId("cli").build());
    }
}
