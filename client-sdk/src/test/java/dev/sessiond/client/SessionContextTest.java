package dev.sessiond.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import dev.sessiond.proto.v1.Session;
import java.time.ZoneOffset;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class SessionContextTest {

    private static final Session STORED = Session.newBuilder()
            .setId("s1")
            .setClientCulture("ru-RU")
            .setClientUiCulture("en-US")
            .setClientUtcOffset(Duration.newBuilder().setSeconds(3 * 3600))
            .setClientHost("WS-042")
            .build();

    @Test
    void theCallsCulture_winsComponentByComponent_andShowsInTheSession() {
        SessionContext context = SessionContext.of(STORED, "token",
                ClientCulture.NONE.withCulture(Locale.GERMANY).withClientHost("WS-007"));

        assertThat(context.culture()).contains(Locale.GERMANY);
        assertThat(context.uiCulture()).contains(Locale.forLanguageTag("en-US"));
        assertThat(context.utcOffset()).contains(ZoneOffset.ofHours(3));
        assertThat(context.clientHost()).contains("WS-007");
        assertThat(context.session().getClientCulture()).isEqualTo("de-DE");
        assertThat(context.session().getClientUiCulture()).isEqualTo("en-US");
        assertThat(context.session().getClientHost()).as("the host the session was opened from").isEqualTo("WS-042");
    }

    @Test
    void aSessionWithoutStoredCulture_andACallWithout_haveNone() {
        SessionContext context = SessionContext.of(Session.newBuilder().setId("s1").build(), "token", ClientCulture.NONE);

        assertThat(context.clientCulture()).isEqualTo(ClientCulture.NONE);
    }

    @Test
    void anImpossibleStoredOffset_isUnknownRatherThanAFailure() {
        Session odd = STORED.toBuilder().setClientUtcOffset(Duration.newBuilder().setSeconds(99 * 3600)).build();

        assertThat(SessionContext.storedCulture(odd).utcOffset()).isEmpty();
    }

    @Test
    void toString_leavesTheTokenOut() {
        assertThat(SessionContext.of(STORED, "secret-token", ClientCulture.NONE).toString()).doesNotContain("secret-token");
    }

    @Test
    void bearerToken_readsTheSchemeInAnyCase_andNothingElse() {
        assertThat(SessionAuthInterceptor.bearerToken("Bearer abc")).contains("abc");
        assertThat(SessionAuthInterceptor.bearerToken("bearer   abc ")).contains("abc");
        assertThat(SessionAuthInterceptor.bearerToken("Basic YWxhZGRpbjpvcGVu")).isEmpty();
        assertThat(SessionAuthInterceptor.bearerToken("Bearer ")).isEmpty();
        assertThat(SessionAuthInterceptor.bearerToken(null)).isEmpty();
    }
}
