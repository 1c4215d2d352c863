package dev.sessiond.server.audit;

import static dev.sessiond.server.testing.Errors.assertError;
import static dev.sessiond.server.testing.TestServer.as;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.FieldMask;
import com.google.protobuf.util.Timestamps;
import dev.sessiond.proto.v1.CloseSessionRequest;
import dev.sessiond.proto.v1.CreateUserRequest;
import dev.sessiond.proto.v1.IncrementConfigurationVersionRequest;
import dev.sessiond.proto.v1.LicenseType;
import dev.sessiond.proto.v1.ListSessionEventsRequest;
import dev.sessiond.proto.v1.ListSessionEventsResponse;
import dev.sessiond.proto.v1.SessionDirectoryServiceGrpc.SessionDirectoryServiceBlockingStub;
import dev.sessiond.proto.v1.SessionEvent;
import dev.sessiond.proto.v1.SessionEventKind;
import dev.sessiond.proto.v1.SetSessionIsActiveRequest;
import dev.sessiond.proto.v1.UpdateUserRequest;
import dev.sessiond.proto.v1.User;
import dev.sessiond.proto.v1.ValidateAndGetSessionRequest;
import dev.sessiond.server.testing.TestServer;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit trail of SPEC §7: one row per state change, listed with filters and paging. */
class AuditTrailTest {

    @TempDir
    Path dir;

    TestServer sessiond;
    String admin;
    SessionDirectoryServiceBlockingStub directory;

    @BeforeEach
    void start() {
        sessiond = TestServer.start(dir, Map.of("SESSIOND_CONCURRENT_LICENSES", "5"));
        admin = sessiond.adminToken();
        directory = as(admin, sessiond.directory());
    }

    @AfterEach
    void stop() {
        sessiond.close();
    }

    private List<SessionEvent> all(ListSessionEventsRequest filter, int pageSize) {
        List<SessionEvent> events = new ArrayList<>();
        String token = "";
        for (int page = 0; page < 1000; page++) { // bounded
            ListSessionEventsResponse response = directory.listSessionEvents(filter.toBuilder()
                    .setPageSize(pageSize).setPageToken(token).build());
            assertThat(response.getEventsCount()).isLessThanOrEqualTo(pageSize);
            events.addAll(response.getEventsList());
            token = response.getNextPageToken();
            if (token.isEmpty()) {
                return events;
            }
        }
        throw new AssertionError("paging did not end");
    }

    @Test
    void aWholeScenario_recordsExactlyOneRowPerStateChange() {
        User pat = as(admin, sessiond.users()).createUser(CreateUserRequest.newBuilder()
                .setLogin("pat").setPassword("pat-password").setLicenseType(LicenseType.LICENSE_TYPE_CONCURRENT)
                .build()).getUser();
        assertError(() -> sessiond.login("pat", "not-pat-password", "cli"),
                Status.Code.UNAUTHENTICATED, "INVALID_CREDENTIALS");
        var opened = sessiond.login("pat", "pat-password", "web-client");
        String patSession = opened.getSession().getId();
        var service = as(admin, sessiond.server());
        var validate = ValidateAndGetSessionRequest.newBuilder().setToken(opened.getToken()).build();
        service.validateAndGetSession(validate);
        service.validateAndGetSession(validate);
        service.setSessionIsActive(SetSessionIsActiveRequest.newBuilder().setSessionId(patSession).build());
        service.validateAndGetSession(validate); // reactivates on use
        as(admin, sessiond.client()).incrementConfigurationVersion(IncrementConfigurationVersionRequest.getDefaultInstance());
        as(opened.getToken(), sessiond.client()).closeSession(CloseSessionRequest.getDefaultInstance());
        as(admin, sessiond.users()).updateUser(UpdateUserRequest.newBuilder()
                .setUser(pat.toBuilder().setDisplayName("Pat P.")).setUpdateMask(FieldMask.newBuilder().addPaths("display_name"))
                .build());

        List<SessionEvent> events = all(ListSessionEventsRequest.getDefaultInstance(), 3);

        assertThat(events).extracting(SessionEvent::getKind).containsExactly(
                SessionEventKind.SESSION_EVENT_KIND_USER_CHANGED,
                SessionEventKind.SESSION_EVENT_KIND_CLOSED,
                SessionEventKind.SESSION_EVENT_KIND_CONFIGURATION_VERSION_INCREMENTED,
                SessionEventKind.SESSION_EVENT_KIND_ACTIVATED,
                SessionEventKind.SESSION_EVENT_KIND_DEACTIVATED,
                SessionEventKind.SESSION_EVENT_KIND_OPENED,
                SessionEventKind.SESSION_EVENT_KIND_LOGIN_FAILED,
                SessionEventKind.SESSION_EVENT_KIND_USER_CHANGED,
                SessionEventKind.SESSION_EVENT_KIND_OPENED, // the admin's session
                SessionEventKind.SESSION_EVENT_KIND_USER_CHANGED); // the bootstrap admin created
        assertThat(events).extracting(SessionEvent::getId).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        SessionEvent open = events.get(5);
        assertThat(open.getSessionId()).isEqualTo(patSession);
        assertThat(open.getUserId()).isEqualTo(pat.getId());
        assertThat(open.getUserLogin()).isEqualTo("pat");
        assertThat(open.getAuthSource()).isEqualTo("local");
        SessionEvent deactivated = events.get(4);
        assertThat(deactivated.getActorLogin()).isEqualTo("admin");
        assertThat(events.get(6).getDetail()).isEqualTo("INVALID_CREDENTIALS");

        for (SessionEvent event : events) {
            assertThat(event.toString()).doesNotContain(opened.getToken(), admin, "pat-password",
                    "not-pat-password", TestServer.ADMIN_PASSWORD);
        }
    }

    @Test
    void listSessionEvents_filtersByUserSessionKindAndTime() {
        sessiond.createUser("quin", "quin-password", false, false);
        var first = sessiond.login("quin", "quin-password", "cli");
        sessiond.clock.advance(Duration.ofMinutes(10));
        var second = sessiond.login("quin", "quin-password", "cli");
        String quinId = first.getSession().getUser().getId();

        var byUser = all(ListSessionEventsRequest.newBuilder().setUserId(quinId).build(), 100);
        assertThat(byUser).hasSize(3).allMatch(e -> e.getUserId().equals(quinId)); // created + 2 opens

        var bySession = all(ListSessionEventsRequest.newBuilder().setSessionId(second.getSession().getId()).build(), 100);
        assertThat(bySession).singleElement().extracting(SessionEvent::getKind)
                .isEqualTo(SessionEventKind.SESSION_EVENT_KIND_OPENED);

        var byKind = all(ListSessionEventsRequest.newBuilder().setUserId(quinId)
                .setKind(SessionEventKind.SESSION_EVENT_KIND_OPENED).build(), 100);
        assertThat(byKind).extracting(SessionEvent::getSessionId)
                .containsExactly(second.getSession().getId(), first.getSession().getId());

        var sinceSecond = all(ListSessionEventsRequest.newBuilder().setUserId(quinId)
                .setStartTime(second.getSession().getCreateTime()).build(), 100);
        assertThat(sinceSecond).extracting(SessionEvent::getSessionId).containsExactly(second.getSession().getId());
        var beforeSecond = all(ListSessionEventsRequest.newBuilder().setUserId(quinId)
                .setEndTime(second.getSession().getCreateTime()).build(), 100);
        assertThat(beforeSecond).hasSize(2);
        assertThat(Timestamps.toMillis(beforeSecond.get(0).getTime()))
                .isLessThan(Timestamps.toMillis(second.getSession().getCreateTime()));
    }

    @Test
    void callerText_isStoredEscaped() {
        // Control characters are refused at the door; a line separator is not a control character.
        assertError(() -> sessiond.login("evil\u2028login", "pw", "cli"),
                Status.Code.UNAUTHENTICATED, "INVALID_CREDENTIALS");

        var failed = all(ListSessionEventsRequest.newBuilder()
                .setKind(SessionEventKind.SESSION_EVENT_KIND_LOGIN_FAILED).build(), 10);
        assertThat(failed).singleElement().extracting(SessionEvent::getUserLogin)
                .isEqualTo("evil\\u2028login");
    }

    @Test
    void listSessionEvents_rejectsBadRequestsAndNonAdministrators() {
        assertError(() -> directory.listSessionEvents(ListSessionEventsRequest.newBuilder().setPageToken("bogus").build()),
                Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertError(() -> directory.listSessionEvents(ListSessionEventsRequest.newBuilder().setPageSize(-5).build()),
                Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertError(() -> directory.listSessionEvents(ListSessionEventsRequest.newBuilder()
                        .setStartTime(Timestamps.fromMillis(2000)).setEndTime(Timestamps.fromMillis(1000)).build()),
                Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertError(() -> directory.listSessionEvents(ListSessionEventsRequest.newBuilder().setUserId("x").build()),
                Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertError(() -> as(sessiond.serviceToken(), sessiond.directory())
                        .listSessionEvents(ListSessionEventsRequest.getDefaultInstance()),
                Status.Code.PERMISSION_DENIED, "PERMISSION_DENIED");
    }
}
