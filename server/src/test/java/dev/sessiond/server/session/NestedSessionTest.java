package dev.sessiond.server.session;

import static dev.sessiond.server.testing.Errors.assertError;
import static dev.sessiond.server.testing.TestServer.as;
import static dev.sessiond.server.testing.TestServer.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Durations;
import dev.sessiond.proto.v1.CloseSessionRequest;
import dev.sessiond.proto.v1.CreateNestedSessionTokenRequest;
import dev.sessiond.proto.v1.CreateNestedSessionTokenResponse;
import dev.sessiond.proto.v1.LicenseType;
import dev.sessiond.proto.v1.OpenSessionRequest;
import dev.sessiond.proto.v1.OpenSessionResponse;
import dev.sessiond.proto.v1.SessionServerServiceGrpc.SessionServerServiceBlockingStub;
import dev.sessiond.proto.v1.SessionType;
import dev.sessiond.proto.v1.User;
import dev.sessiond.proto.v1.ValidateAndGetSessionRequest;
import dev.sessiond.server.testing.TestServer;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NestedSessionTest {

    @TempDir
    Path dir;

    TestServer sessiond;
    SessionServerServiceBlockingStub service;
    OpenSessionResponse parent;
    User worker;

    @BeforeEach
    void start() {
        sessiond = TestServer.start(dir, Map.of("SESSIOND_CONCURRENT_LICENSES", "1"));
        service = as(sessiond.serviceToken(), sessiond.server());
        sessiond.createUser("olga", "olga-password", false, false);
        worker = sessiond.createUser("worker", "", false, false);
        parent = with(sessiond.client(), Map.of(
                "sessiond-client-culture", "ru-RU",
                "sessiond-client-ui-culture", "en-GB",
                "sessiond-client-utc-offset", "+03:00",
                "sessiond-client-host", "WS-7"))
                .openSession(OpenSessionRequest.newBuilder()
                        .setLogin("olga").setPassword("olga-password").setApplicationId("web-client").build());
    }

    @AfterEach
    void stop() {
        sessiond.close();
    }

    private CreateNestedSessionTokenResponse nest(String parentToken) {
        return service.createNestedSessionToken(CreateNestedSessionTokenRequest.newBuilder()
                .setParentToken(parentToken).setUserId(worker.getId()).setApplicationId("web-api").build());
    }

    @Test
    void nestedSession_inheritsTheParentsDeploymentAndCultures() {
        var nested = nest(parent.getToken());

        var session = service.validateAndGetSession(ValidateAndGetSessionRequest.newBuilder()
                .setToken(nested.getToken()).build()).getSession();
        assertThat(session.getUser().getLogin()).isEqualTo("worker");
        assertThat(session.getType()).isEqualTo(SessionType.SESSION_TYPE_SERVER);
        assertThat(session.getParentSessionId()).isEqualTo(parent.getSession().getId());
        assertThat(session.getClientCulture()).isEqualTo("ru-RU");
        assertThat(session.getClientUiCulture()).isEqualTo("en-GB");
        assertThat(session.getClientUtcOffset()).isEqualTo(Durations.fromHours(3));
        assertThat(session.getClientHost()).isEqualTo("WS-7");
        assertThat(session.getServerCode()).isEqualTo(parent.getSession().getServerCode());
        assertThat(session.getInstanceName()).isEqualTo(parent.getSession().getInstanceName());
        assertThat(sessiond.eventKinds(session.getId())).containsExactly("OPENED");
    }

    @Test
    void nestedSession_closesWithItsParent() {
        var nested = nest(parent.getToken());
        var nestedInNested = service.createNestedSessionToken(CreateNestedSessionTokenRequest.newBuilder()
                .setParentToken(nested.getToken()).setLogin("olga").build());

        as(parent.getToken(), sessiond.client()).closeSession(CloseSessionRequest.getDefaultInstance());

        for (String token : new String[] {nested.getToken(), nestedInNested.getToken()}) {
            assertError(() -> service.validateAndGetSession(ValidateAndGetSessionRequest.newBuilder()
                    .setToken(token).build()), Status.Code.UNAUTHENTICATED, "SESSION_NOT_FOUND");
        }
        assertThat(sessiond.eventKinds(parent.getSession().getId())).containsExactly("OPENED", "CLOSED");
        assertThat(sessiond.eventKinds(nested.getSession().getId())).containsExactly("OPENED", "CLOSED_WITH_PARENT");
        assertThat(sessiond.eventKinds(nestedInNested.getSession().getId()))
                .containsExactly("OPENED", "CLOSED_WITH_PARENT");
    }

    @Test
    void nestedSession_takesNoSeatOfItsOwn() {
        User concurrent = sessiond.createUser("conny", "conny-password", LicenseType.LICENSE_TYPE_CONCURRENT);
        var owner = sessiond.login("conny", "conny-password", "web-client");

        var nested = service.createNestedSessionToken(CreateNestedSessionTokenRequest.newBuilder()
                .setParentToken(owner.getToken()).setUserId(concurrent.getId()).build());

        assertThat(nested.getToken()).isNotEmpty();
        assertThat(sessiond.seatsInUse()).isEqualTo(1);
    }

    @Test
    void nestedSession_needsAUsableParentAndAKnownUser() {
        assertError(() -> nest("garbage"), Status.Code.UNAUTHENTICATED, "TOKEN_MALFORMED");
        var info = assertError(() -> nest(""), Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertThat(info.getMetadataMap()).containsEntry("field", "parent_token");
        assertError(() -> service.createNestedSessionToken(CreateNestedSessionTokenRequest.newBuilder()
                        .setParentToken(parent.getToken()).setUserId(UUID.randomUUID().toString()).build()),
                Status.Code.NOT_FOUND, "NOT_FOUND");
        as(parent.getToken(), sessiond.client()).closeSession(CloseSessionRequest.getDefaultInstance());
        assertError(() -> nest(parent.getToken()), Status.Code.UNAUTHENTICATED, "SESSION_NOT_FOUND");
    }
}
