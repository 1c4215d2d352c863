package dev.sessiond.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sessiond.server.error.AuthenticationException;
import dev.sessiond.server.error.Reason;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CallInfoTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Bearer sd1.k.p.m|sd1.k.p.m",
        "bearer sd1.k.p.m|sd1.k.p.m",
        "BEARER   sd1.k.p.m  |sd1.k.p.m",
    }, ignoreLeadingAndTrailingWhitespace = false)
    void bearerToken_isWhatFollowsTheScheme_inAnyCase(String authorization, String token) {
        assertThat(withAuthorization(authorization).bearerToken()).isEqualTo(token);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bearer", "Bearer ", "Bearer    ", "Basic YWRtaW46eA==", "Bearerx y", "Bear y", " Bearer y"})
    void bearerToken_refusesWhatIsNotABearerToken(String authorization) {
        assertThat(catchThrowable(() -> withAuthorization(authorization).bearerToken()))
                .isInstanceOfSatisfying(AuthenticationException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TOKEN_MALFORMED));
    }

    private static CallInfo withAuthorization(String authorization) {
        return new CallInfo(Optional.of(authorization), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), "127.0.0.1", "grpc");
    }
}
