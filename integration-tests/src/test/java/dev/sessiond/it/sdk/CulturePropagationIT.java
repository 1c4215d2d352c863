package dev.sessiond.it.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sessiond.client.ClientCulture;
import dev.sessiond.client.SessiondClient;
import dev.sessiond.client.SessiondMetadata;
import dev.sessiond.proto.v1.OpenSessionResponse;
import dev.sessiond.proto.v1.Session;
import io.grpc.Metadata;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The culture the SDK sends reaches what sessiond stores and returns. */
class CulturePropagationIT {

    @TempDir
    static Path dir;
    static SdkTestServer server;
    static SessiondClient plain;

    @BeforeAll
    static void start() {
        server = SdkTestServer.start(dir);
        plain = server.client(b -> b);
    }

    @AfterAll
    static void stop() {
        plain.close();
        server.close();
    }

    private static String newUser() {
        String login = "user-" + UUID.randomUUID().toString().substring(0, 8);
        server.createUser(plain, login, "user-password", false, false);
        return login;
    }

    /** The culture columns of a stored session. */
    private static Map<String, Object> storedCulture(String sessionId) {
        return server.database().withHandle(h -> h.createQuery(
                        "SELECT client_culture, client_ui_culture, client_utc_offset_s, client_host, application_id"
                                + " FROM sessions WHERE id = :id")
                .bind("id", UUID.fromString(sessionId)).mapToMap().one());
    }

    @Test
    void theClientsCulture_isStoredAndReturned() {
        String login = newUser();
        try (SessiondClient client = server.client(b -> b
                .applicationId("web-client")
                .culture(() -> Locale.forLanguageTag("ru-RU"))
                .uiCulture(() -> Locale.forLanguageTag("en-US"))
                .utcOffset(() -> ZoneOffset.ofHours(3))
                .clientHost(() -> "WS-042"))) {
            OpenSessionResponse opened = client.openSession(login, "user-password");

            Session returned = opened.getSession();
            assertThat(returned.getClientCulture()).isEqualTo("ru-RU");
            assertThat(returned.getClientUiCulture()).isEqualTo("en-US");
            assertThat(returned.getClientUtcOffset().getSeconds()).isEqualTo(3 * 3600);
            assertThat(returned.getClientHost()).isEqualTo("WS-042");

            assertThat(storedCulture(returned.getId())).containsEntry("client_culture", "ru-RU")
                    .containsEntry("client_ui_culture", "en-US")
                    .containsEntry("client_utc_offset_s", 3 * 3600)
                    .containsEntry("client_host", "WS-042")
                    .containsEntry("application_id", "web-client");

            // a service reading the session without culture of its own sees the stored one
            Session validated = plain.withToken(server.adminToken(plain)).withCulture(ClientCulture.NONE)
                    .server().validateAndGetSession(opened.getToken()).getSession();
            assertThat(validated.getClientCulture()).isEqualTo("ru-RU");
            assertThat(validated.getClientUiCulture()).isEqualTo("en-US");
            assertThat(validated.getClientUtcOffset().getSeconds()).isEqualTo(3 * 3600);
        }
    }

    @Test
    void aPerCallCulture_showsInThatCallsAnswer_andIsNotStored() {
        String login = newUser();
        try (SessiondClient client = server.client(b -> b
                .culture(() -> Locale.forLanguageTag("ru-RU"))
                .uiCulture(() -> Locale.forLanguageTag("ru-RU"))
                .utcOffset(() -> ZoneOffset.ofHours(3))
                .clientHost(() -> "WS-042"))) {
            OpenSessionResponse opened = client.openSession(login, "user-password");
            SessiondClient admin = client.withToken(server.adminToken(client));

            Session validated = admin
                    .withCulture(admin.currentCulture().withCulture(Locale.GERMANY).withUtcOffset(ZoneOffset.ofHours(1)))
                    .server().validateAndGetSession(opened.getToken()).getSession();

            assertThat(validated.getClientCulture()).isEqualTo("de-DE");
            assertThat(validated.getClientUiCulture()).isEqualTo("ru-RU");
            assertThat(validated.getClientUtcOffset().getSeconds()).isEqualTo(3600);
            assertThat(storedCulture(opened.getSession().getId()))
                    .containsEntry("client_culture", "ru-RU")
                    .containsEntry("client_utc_offset_s", 3 * 3600);
        }
    }

    @Test
    void withoutConfiguration_theJvmsCultureAndHostAreStored() {
        String login = newUser();
        ClientCulture jvm = plain.currentCulture();
        assertThat(jvm.culture()).isEqualTo(java.util.Optional.of(Locale.getDefault(Locale.Category.FORMAT))
                .filter(l -> !l.equals(Locale.ROOT)));
        assertThat(jvm.clientHost()).isPresent();

        Session session = plain.openSession(login, "user-password").getSession();

        Metadata sent = jvm.toMetadata();
        assertThat(session.getClientCulture()).isEqualTo(orEmpty(sent.get(SessiondMetadata.CLIENT_CULTURE)));
        assertThat(session.getClientUiCulture()).isEqualTo(orEmpty(sent.get(SessiondMetadata.CLIENT_UI_CULTURE)));
        assertThat(session.getClientHost()).isEqualTo(orEmpty(sent.get(SessiondMetadata.CLIENT_HOST))).isNotEmpty();
        assertThat(session.getClientUtcOffset().getSeconds())
                .isEqualTo(java.time.ZoneId.systemDefault().getRules().getOffset(java.time.Instant.now()).getTotalSeconds());
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
