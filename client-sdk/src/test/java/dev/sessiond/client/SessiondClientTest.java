package dev.sessiond.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessiond.proto.v1.ListUsersRequest;
import dev.sessiond.proto.v1.ListUsersResponse;
import dev.sessiond.proto.v1.OpenSessionRequest;
import dev.sessiond.proto.v1.OpenSessionResponse;
import dev.sessiond.proto.v1.Session;
import dev.sessiond.proto.v1.User;
import dev.sessiond.proto.v1.ValidateAndGetSessionRequest;
import dev.sessiond.proto.v1.ValidateAndGetSessionResponse;
import io.grpc.Metadata;
import io.grpc.Status;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client's own logic against a fake sessiond; {@code SdkClientIT} runs the RPCs against the real one. */
class SessiondClientTest {

    private final FakeSessiond fake = new FakeSessiond();

    @AfterEach
    void stop() {
        fake.close();
    }

    private SessiondClient fixedCultureClient() {
        return fake.client(b -> b
                .culture(() -> Locale.forLanguageTag("ru-RU"))
                .uiCulture(() -> Locale.forLanguageTag("en-US"))
                .utcOffset(() -> ZoneOffset.ofHours(3))
                .clientHost(() -> "WS-042")
                .token("service-token"));
    }

    @Test
    void everyCall_carriesTheTokenAndTheFourCultureKeys() {
        try (SessiondClient client = fixedCultureClient()) {
            client.server().validateAndGetSession("user-token");
        }

        Metadata headers = fake.lastHeaders();
        assertThat(headers.get(SessiondMetadata.AUTHORIZATION)).isEqualTo("Bearer service-token");
        assertThat(headers.get(SessiondMetadata.CLIENT_CULTURE)).isEqualTo("ru-RU");
        assertThat(headers.get(SessiondMetadata.CLIENT_UI_CULTURE)).isEqualTo("en-US");
        assertThat(headers.get(SessiondMetadata.CLIENT_UTC_OFFSET)).isEqualTo("+03:00");
        assertThat(headers.get(SessiondMetadata.CLIENT_HOST)).isEqualTo("WS-042");
    }

    @Test
    void withoutConfiguration_theCultureIsTheJvms_andNoTokenIsSent() throws Exception {
        try (SessiondClient client = fake.client(b -> b)) {
            client.openSession("alice", "secret");
        }

        Metadata headers = fake.lastHeaders();
        assertThat(headers.get(SessiondMetadata.AUTHORIZATION)).isNull();
        assertThat(headers.get(SessiondMetadata.CLIENT_CULTURE))
                .isEqualTo(ClientCulture.tag(Locale.getDefault(Locale.Category.FORMAT)).orElse(null));
        assertThat(headers.get(SessiondMetadata.CLIENT_UI_CULTURE))
                .isEqualTo(ClientCulture.tag(Locale.getDefault(Locale.Category.DISPLAY)).orElse(null));
        assertThat(headers.get(SessiondMetadata.CLIENT_UTC_OFFSET))
                .isEqualTo(java.time.ZoneId.systemDefault().getRules().getOffset(java.time.Instant.now()).getId());
        assertThat(headers.get(SessiondMetadata.CLIENT_HOST))
                .isEqualTo(java.net.InetAddress.getLocalHost().getHostName());
    }

    @Test
    void aView_overridesTokenAndCultureForItsCallsOnly() {
        try (SessiondClient client = fixedCultureClient()) {
            SessiondClient view = client.withToken("other-token")
                    .withCulture(client.currentCulture().withCulture(Locale.GERMANY));

            view.server().validateAndGetSession("user-token");
            Metadata viewHeaders = fake.lastHeaders();
            client.server().validateAndGetSession("user-token");
            Metadata clientHeaders = fake.lastHeaders();

            assertThat(viewHeaders.get(SessiondMetadata.AUTHORIZATION)).isEqualTo("Bearer other-token");
            assertThat(viewHeaders.get(SessiondMetadata.CLIENT_CULTURE)).isEqualTo("de-DE");
            assertThat(viewHeaders.get(SessiondMetadata.CLIENT_UI_CULTURE)).isEqualTo("en-US");
            assertThat(clientHeaders.get(SessiondMetadata.AUTHORIZATION)).isEqualTo("Bearer service-token");
            assertThat(clientHeaders.get(SessiondMetadata.CLIENT_CULTURE)).isEqualTo("ru-RU");
        }
    }

    @Test
    void cultureNone_sendsNoCultureKeys() {
        try (SessiondClient client = fixedCultureClient()) {
            client.withCulture(ClientCulture.NONE).server().validateAndGetSession("user-token");
        }

        Metadata headers = fake.lastHeaders();
        assertThat(headers.containsKey(SessiondMetadata.CLIENT_CULTURE)).isFalse();
        assertThat(headers.containsKey(SessiondMetadata.CLIENT_UI_CULTURE)).isFalse();
        assertThat(headers.containsKey(SessiondMetadata.CLIENT_UTC_OFFSET)).isFalse();
        assertThat(headers.containsKey(SessiondMetadata.CLIENT_HOST)).isFalse();
        assertThat(headers.get(SessiondMetadata.AUTHORIZATION)).isEqualTo("Bearer service-token");
    }

    @Test
    void anIdempotentCall_isRetriedWhenTheServerIsUnavailable() {
        AtomicInteger attempts = new AtomicInteger();
        fake.validate = r -> {
            if (attempts.incrementAndGet() == 1) {
                throw Status.UNAVAILABLE.withDescription("store down").asRuntimeException();
            }
            return ValidateAndGetSessionResponse.newBuilder().setSession(Session.newBuilder().setId("s1")).build();
        };

        try (SessiondClient client = fake.client(b -> b)) {
            assertThat(client.server().validateAndGetSession("t").getSession().getId()).isEqualTo("s1");
        }
        assertThat(fake.count("ValidateAndGetSession")).isEqualTo(2);
    }

    @Test
    void aCallThatCreatesSomething_isNotRetried() {
        fake.openSession = r -> {
            throw Status.UNAVAILABLE.withDescription("store down").asRuntimeException();
        };

        try (SessiondClient client = fake.client(b -> b)) {
            assertThatThrownBy(() -> client.openSession("alice", "secret"))
                    .isInstanceOfSatisfying(SessionException.class,
                            e -> assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE));
        }
        assertThat(fake.count("OpenSession")).isEqualTo(1);
    }

    @Test
    void windowsSignIn_isNeverRetried_forItsTokenIsSingleUse() {
        fake.openSessionWindowsAuth = r -> {
            throw Status.UNAVAILABLE.withDescription("store down").asRuntimeException();
        };

        try (SessiondClient client = fake.client(b -> b.maxAttempts(5))) {
            assertThatThrownBy(() -> client.openSessionWindowsAuth(new byte[] {0x60, 0x01}))
                    .isInstanceOfSatisfying(SessionException.class,
                            e -> assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE));
        }
        assertThat(fake.count("OpenSessionWindowsAuth")).isEqualTo(1);
    }

    @Test
    void oneAttempt_meansNoRetries() {
        fake.validate = r -> {
            throw Status.UNAVAILABLE.asRuntimeException();
        };

        try (SessiondClient client = fake.client(b -> b.maxAttempts(1))) {
            assertThatThrownBy(() -> client.server().validateAndGetSession("t")).isInstanceOf(SessionException.class);
        }
        assertThat(fake.count("ValidateAndGetSession")).isEqualTo(1);
    }

    @Test
    void retries_stopAfterMaxAttempts() {
        fake.validate = r -> {
            throw Status.UNAVAILABLE.asRuntimeException();
        };

        try (SessiondClient client = fake.client(b -> b.maxAttempts(3))) {
            assertThatThrownBy(() -> client.server().validateAndGetSession("t")).isInstanceOf(SessionException.class);
        }
        assertThat(fake.count("ValidateAndGetSession")).isEqualTo(3);
    }

    @Test
    void asyncCalls_completeWithTheResponse_orASessionException() {
        fake.openSession = r -> OpenSessionResponse.newBuilder().setToken("t-" + r.getLogin()).build();
        try (SessiondClient client = fake.client(b -> b.applicationId("web-client"))) {
            var request = dev.sessiond.proto.v1.OpenSessionRequest.newBuilder().setLogin("alice").build();
            assertThat(client.openSessionAsync(request).join().getToken()).isEqualTo("t-alice");

            fake.openSession = r -> {
                throw Status.PERMISSION_DENIED.asRuntimeException();
            };
            assertThatThrownBy(() -> client.openSessionAsync(request).join())
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOfSatisfying(SessionException.class,
                            e -> assertThat(e.code()).isEqualTo(Status.Code.PERMISSION_DENIED));
        }
    }

    @Test
    void aCallPastItsDeadline_failsWithDeadlineExceeded() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        fake.validate = r -> {
            try {
                never.await(10, TimeUnit.SECONDS); // the server is stuck; the client must not wait for it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ValidateAndGetSessionResponse.getDefaultInstance();
        };
        try (SessiondClient client = fake.client(b -> b.maxAttempts(1))) {
            assertThatThrownBy(() -> client.withDeadline(Duration.ofMillis(200)).server().validateAndGetSession("t"))
                    .isInstanceOfSatisfying(SessionException.class,
                            e -> assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
        } finally {
            never.countDown();
        }
    }

    @Test
    void flattenedSignIn_sendsTheClientsApplicationId() {
        List<String> applications = new ArrayList<>();
        fake.openSession = r -> {
            applications.add(r.getApplicationId());
            return OpenSessionResponse.getDefaultInstance();
        };

        try (SessiondClient client = fake.client(b -> b.applicationId("desktop-client"))) {
            client.openSession("alice", "secret");
        }
        assertThat(applications).containsExactly("desktop-client");
    }

    @Test
    void domainSignIn_sendsTheDomainWithLoginPasswordAndApplicationId() {
        List<OpenSessionRequest> requests = new ArrayList<>();
        fake.openSession = r -> {
            requests.add(r);
            return OpenSessionResponse.getDefaultInstance();
        };

        try (SessiondClient client = fake.client(b -> b.applicationId("desktop-client"))) {
            client.openSession("alice", "domain-secret", "CORP");
            client.openSession("bob", "local-secret");
        }
        assertThat(requests).containsExactly(
                OpenSessionRequest.newBuilder().setLogin("alice").setPassword("domain-secret").setDomain("CORP")
                        .setApplicationId("desktop-client").build(),
                OpenSessionRequest.newBuilder().setLogin("bob").setPassword("local-secret")
                        .setApplicationId("desktop-client").build());
    }

    @Test
    void listUsers_pagesThroughEveryPageWithTheRequestsPageSize() {
        List<ListUsersRequest> requests = new ArrayList<>();
        fake.listUsers = r -> {
            requests.add(r);
            return switch (r.getPageToken()) {
                case "" -> page("next-1", "ann", "bob");
                case "next-1" -> page("next-2", "cid");
                default -> page("", "dan");
            };
        };

        try (SessiondClient client = fake.client(b -> b)) {
            assertThat(client.users().listUsers(ListUsersRequest.newBuilder().setPageSize(2).build()))
                    .extracting(User::getLogin).containsExactly("ann", "bob", "cid", "dan");
        }
        assertThat(requests).extracting(ListUsersRequest::getPageToken).containsExactly("", "next-1", "next-2");
        assertThat(requests).extracting(ListUsersRequest::getPageSize).containsOnly(2);
    }

    @Test
    void closingAView_leavesTheChannelOpen_closingTheClientClosesIt() {
        SessiondClient client = fake.client(b -> b);
        client.withToken("t").close();

        client.server().validateAndGetSession("t"); // still works

        client.close();
        assertThatThrownBy(() -> client.server().validateAndGetSession("t"))
                .isInstanceOfSatisfying(SessionException.class,
                        e -> assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE));
    }

    @Test
    void builder_needsExactlyOneWayToTheServer() {
        assertThatThrownBy(() -> SessiondClient.builder().build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> SessiondClient.builder().target("localhost:1").channel(
                io.grpc.inprocess.InProcessChannelBuilder.forName("x").build()).build())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void retryConfig_writesDurationsAsTheServiceConfigWantsThem() {
        assertThat(RetryConfig.seconds(Duration.ofMillis(200))).isEqualTo("0.2s");
        assertThat(RetryConfig.seconds(Duration.ofSeconds(2))).isEqualTo("2s");
    }

    private static ListUsersResponse page(String next, String... logins) {
        var page = ListUsersResponse.newBuilder().setNextPageToken(next);
        for (String login : logins) {
            page.addUsers(User.newBuilder().setLogin(login));
        }
        return page.build();
    }
}
