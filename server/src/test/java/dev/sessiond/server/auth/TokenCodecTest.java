package dev.sessiond.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sessiond.server.error.AuthenticationException;
import dev.sessiond.server.error.Reason;
import dev.sessiond.server.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TokenCodecTest {

    private static final String BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final String SERVER_CODE = "acme";
    private static final String INSTANCE = "prod-eu";

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.atSomeFixedInstant();
    private final UUID sessionId = UUID.randomUUID();
    private final UUID userId = UUID.randomUUID();
    private TokenCodec codec;
    private Instant lifetimeEnd;

    @BeforeEach
    void setUp() throws IOException {
        codec = new TokenCodec(keys("current", keyLine("k1", 1)), SERVER_CODE, INSTANCE, clock);
        lifetimeEnd = clock.instant().plus(Duration.ofDays(7));
    }

    @Test
    void verify_returnsTheClaimsTheTokenWasIssuedWith() {
        TokenCodec.IssuedToken issued = codec.issue(sessionId, userId, lifetimeEnd);

        TokenCodec.Claims claims = codec.verify(issued.token());

        assertThat(claims.sessionId()).isEqualTo(sessionId);
        assertThat(claims.userId()).isEqualTo(userId);
        assertThat(claims.lifetimeEnd()).isEqualTo(lifetimeEnd);
        assertThat(claims.secretHash()).isEqualTo(issued.secretHash());
    }

    @Test
    void issue_keepsTheSecretHashOutOfTheToken() {
        TokenCodec.IssuedToken issued = codec.issue(sessionId, userId, lifetimeEnd);

        assertThat(issued.secretHash()).isNotBlank();
        assertThat(issued.token()).doesNotContainIgnoringCase(issued.secretHash());
        assertThat(issued.toString()).doesNotContain(issued.token());
    }

    @Test
    void issue_givesEveryTokenOfTheSameSessionAFreshSecret() {
        TokenCodec.IssuedToken first = codec.issue(sessionId, userId, lifetimeEnd);
        TokenCodec.IssuedToken second = codec.issue(sessionId, userId, lifetimeEnd);

        assertThat(second.token()).isNotEqualTo(first.token());
        assertThat(second.secretHash()).isNotEqualTo(first.secretHash());
        assertThat(codec.verify(second.token()).secretHash()).isEqualTo(second.secretHash());
        assertThat(codec.verify(first.token()).secretHash()).isEqualTo(first.secretHash());
    }

    @Test
    void issue_embedsASecretOfAtLeast128Bits() throws IOException {
        String token = codec.issue(sessionId, userId, lifetimeEnd).token();

        byte[] payload = Base64.getUrlDecoder().decode(token.split("\\.")[2]);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            in.skipNBytes(1 + 16 + 16 + 8); // format version, session id, user id, lifetime end
            assertThat(in.readUTF()).isEqualTo(SERVER_CODE);
            assertThat(in.readUTF()).isEqualTo(INSTANCE);
            assertThat(in.readAllBytes()).hasSizeGreaterThanOrEqualTo(128 / 8);
        }
    }

    @Test
    void issue_neverRepeatsASecret() {
        Set<String> tokens = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            TokenCodec.IssuedToken issued = codec.issue(sessionId, userId, lifetimeEnd);
            tokens.add(issued.token());
            hashes.add(issued.secretHash());
        }
        assertThat(tokens).hasSize(2_000);
        assertThat(hashes).hasSize(2_000);
    }

    @Test
    void verify_rejectsAnyChangedCharacterInThePayload() {
        String token = codec.issue(sessionId, userId, lifetimeEnd).token();
        int start = token.indexOf('.', token.indexOf('.') + 1) + 1;
        int end = token.lastIndexOf('.');

        assertEverySubstitutionRejected(token, start, end);
    }

    @Test
    void verify_rejectsAnyChangedCharacterInTheSignature() {
        String token = codec.issue(sessionId, userId, lifetimeEnd).token();

        // Includes the last character, whose low bits a lenient base64 decoder ignores.
        assertEverySubstitutionRejected(token, token.lastIndexOf('.') + 1, token.length());
    }

    @Test
    void verify_rejectsATokenSignedWithAnUnknownKeyId() throws IOException {
        TokenCodec foreign = new TokenCodec(keys("foreign", keyLine("k9", 9)), SERVER_CODE, INSTANCE, clock);
        String token = foreign.issue(sessionId, userId, lifetimeEnd).token();

        assertRejected(token, Reason.TOKEN_SIGNATURE_INVALID);
    }

    @Test
    void verify_rejectsATokenSignedWithAnotherKeyUnderTheSameKeyId() throws IOException {
        TokenCodec foreign = new TokenCodec(keys("foreign", keyLine("k1", 9)), SERVER_CODE, INSTANCE, clock);
        String token = foreign.issue(sessionId, userId, lifetimeEnd).token();

        assertRejected(token, Reason.TOKEN_SIGNATURE_INVALID);
    }

    @Test
    void verify_rejectsATokenWhoseKeyIdWasReplaced() throws IOException {
        TokenCodec rotated = new TokenCodec(
                keys("rotated", keyLine("k2", 2), keyLine("k1", 1)), SERVER_CODE, INSTANCE, clock);
        String token = codec.issue(sessionId, userId, lifetimeEnd).token();

        assertRejected(token.replaceFirst("^sd1\\.k1\\.", "sd1.k2."), Reason.TOKEN_SIGNATURE_INVALID, rotated);
    }

    static Stream<Arguments> malformations() {
        return Stream.of(
                Arguments.of("null", (UnaryOperator<String>) t -> null),
                Arguments.of("empty", (UnaryOperator<String>) t -> ""),
                Arguments.of("garbage", (UnaryOperator<String>) t -> "not a token at all"),
                Arguments.of("blank", (UnaryOperator<String>) t -> "   "),
                Arguments.of("wrong prefix", (UnaryOperator<String>) t -> "sd2" + t.substring(3)),
                Arguments.of("whole authorization header", (UnaryOperator<String>) t -> "Bearer " + t),
                Arguments.of("three parts", (UnaryOperator<String>) t -> t.substring(0, t.lastIndexOf('.'))),
                Arguments.of("five parts", (UnaryOperator<String>) t -> t + ".AAAA"),
                Arguments.of("signature not base64", (UnaryOperator<String>) t -> t.substring(0, t.lastIndexOf('.') + 1) + "#*!"),
                Arguments.of("padded signature", (UnaryOperator<String>) t -> t + "="),
                Arguments.of("non-ASCII character", (UnaryOperator<String>) t -> t.substring(0, 12) + "é" + t.substring(13)),
                Arguments.of("over-long", (UnaryOperator<String>) t -> {
                    int payloadEnd = t.lastIndexOf('.');
                    return t.substring(0, payloadEnd) + "A".repeat(10_000) + t.substring(payloadEnd);
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformations")
    void verify_rejectsMalformedTokens(String description, UnaryOperator<String> malform) {
        String token = malform.apply(codec.issue(sessionId, userId, lifetimeEnd).token());

        assertRejected(token, Reason.TOKEN_MALFORMED);
    }

    @Test
    void verify_rejectsATokenOfAnotherServerCode() throws IOException {
        TokenCodec other = new TokenCodec(keys("same", keyLine("k1", 1)), "other-code", INSTANCE, clock);
        String token = other.issue(sessionId, userId, lifetimeEnd).token();

        assertRejected(token, Reason.SERVER_CODE_MISMATCH);
    }

    @Test
    void verify_rejectsATokenOfAnotherInstance() throws IOException {
        TokenCodec other = new TokenCodec(keys("same", keyLine("k1", 1)), SERVER_CODE, "staging", clock);
        String token = other.issue(sessionId, userId, lifetimeEnd).token();

        assertRejected(token, Reason.INSTANCE_NAME_MISMATCH);
    }

    @Test
    void verify_rejectsATokenOnceItsLifetimeEndIsReached() {
        Instant end = clock.instant().plus(Duration.ofHours(1));
        String token = codec.issue(sessionId, userId, end).token();

        clock.set(end.minusMillis(1));
        assertThat(codec.verify(token).sessionId()).isEqualTo(sessionId);

        clock.set(end);
        assertRejected(token, Reason.SESSION_EXPIRED);

        clock.advance(Duration.ofDays(30));
        assertRejected(token, Reason.SESSION_EXPIRED);
    }

    @Test
    void keyRotation_verifiesTokensOfTheOldKeyAndSignsWithTheNewOne() throws IOException {
        String oldToken = codec.issue(sessionId, userId, lifetimeEnd).token();
        TokenCodec rotated = new TokenCodec(
                keys("rotated", keyLine("k2", 2), keyLine("k1", 1)), SERVER_CODE, INSTANCE, clock);

        assertThat(rotated.verify(oldToken).sessionId()).isEqualTo(sessionId);

        String newToken = rotated.issue(sessionId, userId, lifetimeEnd).token();
        assertThat(newToken).startsWith("sd1.k2.");
        assertThat(rotated.verify(newToken).sessionId()).isEqualTo(sessionId);
        TokenCodec newKeyOnly = new TokenCodec(keys("new-only", keyLine("k2", 2)), SERVER_CODE, INSTANCE, clock);
        assertThat(newKeyOnly.verify(newToken).sessionId()).isEqualTo(sessionId);
        assertRejected(newToken, Reason.TOKEN_SIGNATURE_INVALID); // the old-key-only codec
    }

    @Test
    void verify_acceptsTokensIssuedWithTheLongestAllowedNames() throws IOException {
        // ConfigLoader allows server codes and instance names of up to 128 characters of any script.
        String longName = "漢".repeat(128);
        TokenCodec wide = new TokenCodec(keys("wide", keyLine("k1", 1)), longName, longName, clock);
        String token = wide.issue(sessionId, userId, lifetimeEnd).token();

        assertThat(wide.verify(token).sessionId()).isEqualTo(sessionId);
    }

    @Test
    void verify_keepsNothingFromOneTokenToTheNext() throws IOException {
        // verify() works in per-thread memory: a long token, then a refused one, then a short one.
        TokenCodec wide = new TokenCodec(keys("current", keyLine("k1", 1)), "漢".repeat(128), INSTANCE, clock);
        String longToken = wide.issue(sessionId, userId, lifetimeEnd).token();
        UUID otherSession = UUID.randomUUID();
        TokenCodec.IssuedToken shortToken = codec.issue(otherSession, userId, lifetimeEnd.minusSeconds(1));

        assertRejected(longToken, Reason.SERVER_CODE_MISMATCH);
        String token = shortToken.token();
        char last = token.charAt(token.length() - 1);
        // Another last character of the mac (the same one, 1 time in 64, left the token valid).
        assertRejected(token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A'), Reason.TOKEN_SIGNATURE_INVALID);
        TokenCodec.Claims claims = codec.verify(shortToken.token());

        assertThat(claims).isEqualTo(new TokenCodec.Claims(otherSession, userId, lifetimeEnd.minusSeconds(1), shortToken.secretHash()));
    }

    @Test
    void verify_givesEachThreadTheClaimsOfItsOwnTokens() throws Exception {
        int threads = 4;
        List<TokenCodec.IssuedToken> issued = new ArrayList<>();
        List<UUID> sessions = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            sessions.add(UUID.randomUUID());
            issued.add(codec.issue(sessions.get(i), userId, lifetimeEnd));
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<Integer>> checked = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int mine = i;
                checked.add(pool.submit(() -> {
                    for (int round = 0; round < 2_000; round++) {
                        TokenCodec.Claims claims = codec.verify(issued.get(mine).token());
                        if (!claims.sessionId().equals(sessions.get(mine))
                                || !claims.secretHash().equals(issued.get(mine).secretHash())) {
                            return round;
                        }
                    }
                    return -1;
                }));
            }
            for (Future<Integer> result : checked) {
                assertThat(result.get(60, TimeUnit.SECONDS)).as("round with another thread's claims").isEqualTo(-1);
            }
        }
    }

    private void assertEverySubstitutionRejected(String token, int start, int end) {
        int checked = 0;
        for (int i = start; i < end; i++) {
            for (char replacement : BASE64URL.toCharArray()) {
                if (replacement == token.charAt(i)) {
                    continue;
                }
                String tampered = token.substring(0, i) + replacement + token.substring(i + 1);
                assertRejected(tampered, Reason.TOKEN_SIGNATURE_INVALID, codec,
                        "the token with '" + replacement + "' at position " + i + " of " + token.length());
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(40 * 63);
    }

    private void assertRejected(String token, Reason reason) {
        assertRejected(token, reason, codec);
    }

    private static void assertRejected(String token, Reason reason, TokenCodec verifier) {
        assertRejected(token, reason, verifier,
                token == null ? "a null token" : "a token of " + token.length() + " characters");
    }

    /** Asserts the reason, and that the message shows neither the token nor a recognisable piece of it. */
    private static void assertRejected(String token, Reason reason, TokenCodec verifier, String description) {
        assertThat(catchThrowable(() -> verifier.verify(token)))
                .as("verifying %s", description)
                .isInstanceOfSatisfying(AuthenticationException.class, e -> {
                    assertThat(e.reason()).as("reason for %s", description).isEqualTo(reason);
                    if (token != null) {
                        String[] fragments = Stream.concat(Stream.of(token), Arrays.stream(token.split("\\.")))
                                .filter(part -> part.length() >= 8)
                                .toArray(String[]::new);
                        for (String fragment : fragments) {
                            assertThat(e.getMessage()).doesNotContain(fragment);
                        }
                    }
                });
    }

    private TokenKeys keys(String name, String... lines) throws IOException {
        Path file = dir.resolve(name + ".keys");
        Files.write(file, Arrays.asList(lines), StandardCharsets.UTF_8);
        return TokenKeys.loadOrCreate(file);
    }

    private static String keyLine(String keyId, int seed) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) seed);
        key[0] = (byte) (seed * 31);
        return keyId + " " + Base64.getEncoder().encodeToString(key);
    }
}
