package dev.sessiond.server.api;

import static dev.sessiond.server.testing.Errors.assertError;
import static dev.sessiond.server.testing.TestServer.as;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.FieldMask;
import dev.sessiond.proto.v1.CreateUserRequest;
import dev.sessiond.proto.v1.DeleteUserRequest;
import dev.sessiond.proto.v1.GetUserRequest;
import dev.sessiond.proto.v1.LicenseType;
import dev.sessiond.proto.v1.ListUsersRequest;
import dev.sessiond.proto.v1.ListUsersResponse;
import dev.sessiond.proto.v1.SetPasswordRequest;
import dev.sessiond.proto.v1.UpdateUserRequest;
import dev.sessiond.proto.v1.User;
import dev.sessiond.proto.v1.UserAdminServiceGrpc.UserAdminServiceBlockingStub;
import dev.sessiond.proto.v1.ValidateAndGetSessionRequest;
import dev.sessiond.server.testing.TestServer;
import io.grpc.Status;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserAdminServiceTest {

    @TempDir
    Path dir;

    TestServer sessiond;
    UserAdminServiceBlockingStub admin;

    @BeforeEach
    void start() {
        sessiond = TestServer.start(dir);
        admin = as(sessiond.adminToken(), sessiond.users());
    }

    @AfterEach
    void stop() {
        sessiond.close();
    }

    private User create(String login, String password) {
        return admin.createUser(CreateUserRequest.newBuilder().setLogin(login).setPassword(password).build()).getUser();
    }

    private User update(User user, String... paths) {
        return admin.updateUser(UpdateUserRequest.newBuilder().setUser(user)
                .setUpdateMask(FieldMask.newBuilder().addAllPaths(List.of(paths))).build()).getUser();
    }

    private void assertSessionGone(String token) {
        assertError(() -> as(sessiond.adminToken(), sessiond.server())
                        .validateAndGetSession(ValidateAndGetSessionRequest.newBuilder().setToken(token).build()),
                Status.Code.UNAUTHENTICATED, "SESSION_NOT_FOUND");
    }

    @Test
    void createUser_appliesDefaultsAndStoresTheUser() {
        User created = admin.createUser(CreateUserRequest.newBuilder()
                .setLogin("Alice").setPassword("pw-alice").build()).getUser();

        assertThat(created.getLogin()).isEqualTo("Alice");
        assertThat(created.getDisplayName()).isEqualTo("Alice");
        assertThat(created.getLicenseType()).isEqualTo(LicenseType.LICENSE_TYPE_PERSONAL);
        assertThat(created.getIsAdmin()).isFalse();
        assertThat(created.getIsBlocked()).isFalse();
        assertThat(admin.getUser(GetUserRequest.newBuilder().setUserId(created.getId()).build()).getUser())
                .isEqualTo(created);
        String hash = sessiond.database().withHandle(h -> h.createQuery("SELECT password_hash FROM users WHERE login = 'Alice'")
                .mapTo(String.class).one());
        assertThat(hash).startsWith("$argon2id$").doesNotContain("pw-alice");
    }

    @Test
    void createUser_takesTheConfiguredDefaultLicenceType() {
        try (TestServer concurrent = TestServer.start(dir.resolve("c"), Map.of("SESSIOND_DEFAULT_LICENSE_TYPE", "concurrent"))) {
            User user = concurrent.createUser("bob", "pw-bob", false, false);
            assertThat(user.getLicenseType()).isEqualTo(LicenseType.LICENSE_TYPE_CONCURRENT);
        }
    }

    @Test
    void createUser_refusesATakenLoginWithoutRegardToCase() {
        create("carol", "pw");

        assertError(() -> create("CAROL", "pw"), Status.Code.ALREADY_EXISTS, "ALREADY_EXISTS");
    }

    @Test
    void createUser_rejectsBadLogins() {
        for (String login : List.of("", " padded", "\\carol", "CORP\\", "CORP\\EU\\carol", "CO RP\\carol", "tab\there",
                "x".repeat(257))) {
            var info = assertError(() -> create(login, "pw"), Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
            assertThat(info.getMetadataMap()).containsEntry("field", "login");
        }
    }

    @Test
    void createUser_acceptsDomainUsers_whoSignInThroughTheirDirectoryWithoutPassword() {
        User carol = admin.createUser(CreateUserRequest.newBuilder().setLogin("CORP\\carol").build()).getUser();
        assertThat(carol.getLogin()).isEqualTo("CORP\\carol");

        var info = assertError(() -> create("CORP\\dave", "pw"), Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertThat(info.getMetadataMap()).containsEntry("field", "password");
        info = assertError(() -> admin.setPassword(SetPasswordRequest.newBuilder().setUserId(carol.getId())
                .setPassword("pw").build()), Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertThat(info.getMetadataMap()).containsEntry("field", "password");
    }

    @Test
    void getUser_reportsUnknownIds() {
        assertError(() -> admin.getUser(GetUserRequest.newBuilder().setUserId(UUID.randomUUID().toString()).build()),
                Status.Code.NOT_FOUND, "NOT_FOUND");
        assertError(() -> admin.getUser(GetUserRequest.newBuilder().setUserId("nope").build()),
                Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
    }

    @Test
    void listUsers_pagesThroughEveryUserOnceInLoginOrder() {
        for (String login : List.of("e5", "e1", "E3", "e2", "e4")) {
            create(login, "pw");
        }
        List<String> seen = new ArrayList<>();
        String token = "";
        int pages = 0;
        do {
            ListUsersResponse page = admin.listUsers(ListUsersRequest.newBuilder().setPageSize(2).setPageToken(token).build());
            page.getUsersList().forEach(u -> seen.add(u.getLogin()));
            assertThat(page.getUsersCount()).isLessThanOrEqualTo(2);
            token = page.getNextPageToken();
            pages++;
        } while (!token.isEmpty() && pages < 10);

        assertThat(seen).containsExactly("admin", "e1", "e2", "E3", "e4", "e5");
        assertThat(pages).isEqualTo(3);
        assertThat(admin.listUsers(ListUsersRequest.getDefaultInstance()).getUsersCount()).isEqualTo(6);
    }

    @Test
    void listUsers_rejectsBadPaging() {
        var info = assertError(() -> admin.listUsers(ListUsersRequest.newBuilder().setPageSize(-1).build()),
                Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertThat(info.getMetadataMap()).containsEntry("field", "page_size");
        assertError(() -> admin.listUsers(ListUsersRequest.newBuilder().setPageSize(1001).build()),
                Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        info = assertError(() -> admin.listUsers(ListUsersRequest.newBuilder().setPageToken("not!a!token").build()),
                Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertThat(info.getMetadataMap()).containsEntry("field", "page_token");
    }

    @Test
    void updateUser_changesOnlyTheMaskedFields() {
        User dave = create("dave", "pw");

        User updated = update(dave.toBuilder().setDisplayName("Dave D.").setIsAdmin(true)
                .setLicenseType(LicenseType.LICENSE_TYPE_CONCURRENT).setIsService(true).build(),
                "display_name", "license_type");

        assertThat(updated.getDisplayName()).isEqualTo("Dave D.");
        assertThat(updated.getLicenseType()).isEqualTo(LicenseType.LICENSE_TYPE_CONCURRENT);
        assertThat(updated.getIsAdmin()).as("not in the mask").isFalse();
        assertThat(updated.getIsService()).as("not in the mask").isFalse();
    }

    @Test
    void updateUser_rejectsBadMasks() {
        User erin = create("erin", "pw");

        assertError(() -> update(erin), Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        var info = assertError(() -> update(erin, "login"), Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertThat(info.getMetadataMap()).containsEntry("field", "update_mask");
        assertError(() -> update(erin.toBuilder().setId(UUID.randomUUID().toString()).build(), "is_admin"),
                Status.Code.NOT_FOUND, "NOT_FOUND");
    }

    @Test
    void blockingAUser_closesTheirSessionsAndStopsLogins() {
        User frank = create("frank", "pw-frank");
        String token = sessiond.login("frank", "pw-frank", "web-client").getToken();

        update(frank.toBuilder().setIsBlocked(true).build(), "is_blocked");

        assertSessionGone(token);
        assertError(() -> sessiond.login("frank", "pw-frank", "cli"), Status.Code.PERMISSION_DENIED, "USER_BLOCKED");
        update(frank.toBuilder().setIsBlocked(false).build(), "is_blocked");
        assertThat(sessiond.login("frank", "pw-frank", "cli").getToken()).isNotEmpty();
    }

    @Test
    void setPassword_replacesThePasswordAndClosesSessions() {
        User gina = create("gina", "old-password");
        String token = sessiond.login("gina", "old-password", "web-client").getToken();

        admin.setPassword(SetPasswordRequest.newBuilder().setUserId(gina.getId()).setPassword("new-password").build());

        assertSessionGone(token);
        assertError(() -> sessiond.login("gina", "old-password", "cli"), Status.Code.UNAUTHENTICATED, "INVALID_CREDENTIALS");
        assertThat(sessiond.login("gina", "new-password", "cli").getToken()).isNotEmpty();
        assertError(() -> admin.setPassword(SetPasswordRequest.newBuilder().setUserId(gina.getId()).build()),
                Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
    }

    @Test
    void deleteUser_removesTheUserAndTheirSessions() {
        User hank = create("hank", "pw-hank");
        String token = sessiond.login("hank", "pw-hank", "web-client").getToken();

        admin.deleteUser(DeleteUserRequest.newBuilder().setUserId(hank.getId()).build());

        assertSessionGone(token);
        assertError(() -> admin.getUser(GetUserRequest.newBuilder().setUserId(hank.getId()).build()),
                Status.Code.NOT_FOUND, "NOT_FOUND");
        assertError(() -> admin.deleteUser(DeleteUserRequest.newBuilder().setUserId(hank.getId()).build()),
                Status.Code.NOT_FOUND, "NOT_FOUND");
    }

    @Test
    void theLastAdministrator_cannotBeRemoved() {
        User root = admin.listUsers(ListUsersRequest.getDefaultInstance()).getUsers(0);
        assertThat(root.getLogin()).isEqualTo("admin");

        assertError(() -> update(root.toBuilder().setIsAdmin(false).build(), "is_admin"),
                Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertError(() -> update(root.toBuilder().setIsBlocked(true).build(), "is_blocked"),
                Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertError(() -> admin.deleteUser(DeleteUserRequest.newBuilder().setUserId(root.getId()).build()),
                Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");

        User second = update(create("ivy", "pw").toBuilder().setIsAdmin(true).build(), "is_admin");
        assertThat(second.getIsAdmin()).isTrue();
        assertThat(update(root.toBuilder().setIsAdmin(false).build(), "is_admin").getIsAdmin()).isFalse();
    }

    @Test
    void everyRpc_needsAnAdministrator() {
        create("jack", "pw-jack");
        var user = as(sessiond.login("jack", "pw-jack", "cli").getToken(), sessiond.users());

        assertError(() -> user.listUsers(ListUsersRequest.getDefaultInstance()),
                Status.Code.PERMISSION_DENIED, "PERMISSION_DENIED");
        assertError(() -> user.createUser(CreateUserRequest.newBuilder().setLogin("x").build()),
                Status.Code.PERMISSION_DENIED, "PERMISSION_DENIED");
        assertError(() -> as(sessiond.serviceToken(), sessiond.users()).listUsers(ListUsersRequest.getDefaultInstance()),
                Status.Code.PERMISSION_DENIED, "PERMISSION_DENIED");
        assertError(() -> sessiond.users().listUsers(ListUsersRequest.getDefaultInstance()),
                Status.Code.UNAUTHENTICATED, "TOKEN_MALFORMED");
    }

    @Test
    void userChanges_areAudited() {
        User kate = create("kate", "pw");
        update(kate.toBuilder().setIsAdmin(true).build(), "is_admin");

        List<String> details = sessiond.database().withHandle(h -> h.createQuery(
                        "SELECT detail FROM session_events WHERE kind = 'USER_CHANGED' AND user_id = :id ORDER BY id")
                .bind("id", UUID.fromString(kate.getId())).mapTo(String.class).list());
        assertThat(details).containsExactly("created", "updated is_admin=true");
    }
}
