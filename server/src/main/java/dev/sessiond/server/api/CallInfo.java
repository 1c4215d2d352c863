package dev.sessiond.server.api;

import static java.util.Objects.requireNonNull;

import dev.sessiond.server.error.AuthenticationException;
import dev.sessiond.server.error.InvalidArgumentException;
import dev.sessiond.server.error.Reason;
import dev.sessiond.server.session.ClientContext;
import dev.sessiond.server.user.UserService;
import java.time.DateTimeException;
import java.time.ZoneOffset;
import java.util.IllformedLocaleException;
import java.util.Locale;
import java.util.Optional;

/**
 * The raw facts of one call, captured by {@link CallContextInterceptor}: the metadata sessiond
 * reads and the connection's peer and transport. Values are checked when they are used, so a
 * bad value fails only the calls that need it, with INVALID_ARGUMENT naming the key.
 */
record CallInfo(
        Optional<String> authorization,
        Optional<String> culture,
        Optional<String> uiCulture,
        Optional<String> utcOffset,
        Optional<String> clientHost,
        String peerAddress,
        String transport) {

    static final int MAX_CULTURE = 35;
    static final int MAX_HOST = 255;
    private static final String BEARER = "Bearer";

    CallInfo {
        requireNonNull(authorization, "authorization");
        requireNonNull(culture, "culture");
        requireNonNull(uiCulture, "uiCulture");
        requireNonNull(utcOffset, "utcOffset");
        requireNonNull(clientHost, "clientHost");
        requireNonNull(peerAddress, "peerAddress");
        requireNonNull(transport, "transport");
    }

    /** The bearer token of the {@code authorization} metadata. */
    String bearerToken() {
        String value = authorization.orElseThrow(() -> new AuthenticationException(Reason.TOKEN_MALFORMED,
                "authorization: missing (expected: 'Bearer <token>' from OpenSession)"));
        int space = value.indexOf(' ');
        String token = space == BEARER.length() && value.regionMatches(true, 0, BEARER, 0, space)
                ? value.substring(space + 1).strip()
                : "";
        if (token.isEmpty()) {
            throw new AuthenticationException(Reason.TOKEN_MALFORMED,
                    "authorization: not a bearer token (expected: 'Bearer <token>')");
        }
        return token;
    }

    /** The client as the call describes it; checks the culture metadata. */
    ClientContext client() {
        return new ClientContext(
                culture.map(c -> checkCulture(CallMetadata.CULTURE.name(), c)).orElse(""),
                uiCulture.map(c -> checkCulture(CallMetadata.UI_CULTURE.name(), c)).orElse(""),
                utcOffset.map(CallInfo::checkOffset),
                clientHost.map(h -> UserService.checkText(CallMetadata.CLIENT_HOST.name(), h.strip(), MAX_HOST)).orElse(""),
                peerAddress,
                transport);
    }

    static String checkCulture(String key, String tag) {
        if (tag.length() > MAX_CULTURE) {
            throw new InvalidArgumentException(key, tag.length() + " characters (expected: a BCP 47 tag of at most " + MAX_CULTURE + ")");
        }
        try {
            return new Locale.Builder().setLanguageTag(tag).build().toLanguageTag();
        } catch (IllformedLocaleException e) {
            throw new InvalidArgumentException(key, "'" + tag + "' (expected: a BCP 47 language tag such as ru-RU)");
        }
    }

    static ZoneOffset checkOffset(String value) {
        try {
            return ZoneOffset.of(value.strip());
        } catch (DateTimeException e) {
            throw new InvalidArgumentException(CallMetadata.UTC_OFFSET.name(),
                    "'" + value + "' (expected: an ISO-8601 offset such as +03:00 or Z)");
        }
    }
}
