package dev.sessiond.server.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sessiond.server.auth.TokenKeys;
import dev.sessiond.server.directory.PageTokens.Cursor;
import dev.sessiond.server.error.InvalidArgumentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PageTokensTest {

    private static final String OLD_KEY = "old " + Base64.getEncoder().encodeToString(new byte[32]);
    private static final String NEW_KEY = "new " + Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
    private static final SessionFilter FILTER = new SessionFilter("WS-1", "Alice");
    private static final Cursor CURSOR = new Cursor(1_740_000_000_123L, UUID.randomUUID(), 4321);

    @TempDir
    Path dir;

    private PageTokens tokens(String... keyLines) throws IOException {
        Path file = dir.resolve("keys-" + UUID.randomUUID());
        Files.write(file, java.util.List.of(keyLines));
        return new PageTokens(TokenKeys.loadOrCreate(file));
    }

    @Test
    void read_returnsTheCursorOfAnIssuedToken_forTheSameFilterInAnyCase() throws IOException {
        PageTokens tokens = tokens(OLD_KEY);

        String token = tokens.issue(FILTER, CURSOR);

        assertThat(tokens.read(token, FILTER)).isEqualTo(CURSOR);
        assertThat(tokens.read(token, new SessionFilter("ws-1", "ALICE"))).isEqualTo(CURSOR);
        assertThat(token).as("opaque: no filter text in it").doesNotContainIgnoringCase("alice");
    }

    @Test
    void read_acceptsTokensOfTheOldKeyAfterARotation_untilTheKeyIsDropped() throws IOException {
        String token = tokens(OLD_KEY).issue(FILTER, CURSOR);

        assertThat(tokens(NEW_KEY, OLD_KEY).read(token, FILTER)).isEqualTo(CURSOR);
        assertThat(refusal(tokens(NEW_KEY), token, FILTER)).contains("not a next_page_token");
    }

    @Test
    void read_refusesTokensForOtherFiltersAndChangedTokens() throws IOException {
        PageTokens tokens = tokens(OLD_KEY);
        String token = tokens.issue(FILTER, CURSOR);

        assertThat(refusal(tokens, token, new SessionFilter("WS-1", ""))).contains("issued for other filters");
        assertThat(refusal(tokens, token, new SessionFilter("", "alice"))).contains("issued for other filters");
        byte[] bytes = Base64.getUrlDecoder().decode(token);
        for (int i = 0; i < bytes.length; i++) {
            byte[] changed = bytes.clone();
            changed[i] ^= 0x01;
            String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(changed);
            assertThat(refusal(tokens, forged, FILTER)).as("byte %d changed", i).contains("not a next_page_token");
        }
        assertThat(refusal(tokens, "", FILTER)).contains("not a next_page_token");
        assertThat(refusal(tokens, "x".repeat(10_000), FILTER)).contains("not a next_page_token");
    }

    private static String refusal(PageTokens tokens, String token, SessionFilter filter) {
        var e = catchThrowableOfType(InvalidArgumentException.class, () -> tokens.read(token, filter));
        assertThat(e).as("refused").isNotNull();
        assertThat(e.field()).isEqualTo("page_token");
        return e.getMessage();
    }
}
