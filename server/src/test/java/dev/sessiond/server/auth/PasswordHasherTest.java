package dev.sessiond.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PasswordHasherTest {

    /** Far below OWASP, so that tests not about the cost stay fast. */
    private static final PasswordHasher.Cost CHEAP = new PasswordHasher.Cost(64, 1, 1);
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");

    private final PasswordHasher cheap = new PasswordHasher(CHEAP);

    @Test
    void hash_withOwaspCost_isAnArgon2idPhcStringWithTheOwaspParameters() {
        PasswordHasher owasp = new PasswordHasher(PasswordHasher.Cost.OWASP);

        String stored = owasp.hash("correct horse battery staple");

        assertThat(stored).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        Matcher m = PHC.matcher(stored);
        assertThat(m.matches()).as("PHC format of %s", stored).isTrue();
        assertThat(Base64.getDecoder().decode(m.group(4))).as("salt").hasSizeGreaterThanOrEqualTo(16);
        assertThat(Base64.getDecoder().decode(m.group(5))).as("hash").hasSizeGreaterThanOrEqualTo(32);
        assertThat(owasp.verify("correct horse battery staple", stored)).isTrue();
    }

    /**
     * Hashes made by the Argon2 reference implementation (Debian's {@code argon2} tool:
     * {@code echo -n "correct horse" | argon2 somesaltsomesalt -id -t 2 -k 19456 -p 1 -e}), checked
     * again and again in turns with reused memory, and from two threads at once.
     */
    @Test
    void verify_acceptsHashesOfTheReferenceImplementation_whileReusingMemory() throws Exception {
        String owaspHash = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$k9ohroejZy1PN5E1SbHNPug6vB8eQAahb5SOAp6iGF4";
        String cheapHash = "$argon2id$v=19$m=64,t=1,p=1$b3RoZXJzYWx0b3RoZXJzYWx0$BEDnRQrlPT9M7Y7ABafh2q1ruKUXjd6rVK19M0qHTOA";
        PasswordHasher owasp = new PasswordHasher(PasswordHasher.Cost.OWASP);
        Callable<Boolean> turns = () -> {
            boolean all = true;
            for (int i = 0; i < 3; i++) {
                all &= owasp.verify("correct horse", owaspHash);
                all &= owasp.verify("wrong horse", cheapHash);
                all &= !owasp.verify("correct horse!", owaspHash);
            }
            return all;
        };
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            List<Future<Boolean>> results = two.invokeAll(List.of(turns, turns));
            assertThat(results.get(0).get()).isTrue();
            assertThat(results.get(1).get()).isTrue();
        } finally {
            two.shutdownNow();
        }
    }

    @Test
    void memory_isKeptWhileHashesComeAndDroppedOnceTheyStop() throws Exception {
        Duration keep = Duration.ofSeconds(2);
        PasswordHasher hasher = new PasswordHasher(CHEAP, new HashingSlots(HashingLimits.UNBOUNDED), keep);

        assertThat(hasher.keptMemories()).as("after the decoy hash of the constructor").isEqualTo(1);
        assertThat(droppedWithin(hasher, Duration.ofSeconds(30))).as("dropped after %s idle", keep).isTrue();

        String stored = hasher.hash("one more");
        assertThat(hasher.keptMemories()).as("after a hash").isEqualTo(1);
        assertThat(hasher.verify("one more", stored)).isTrue();
        assertThat(droppedWithin(hasher, Duration.ofSeconds(30))).as("dropped again").isTrue();
    }

    private static boolean droppedWithin(PasswordHasher hasher, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (hasher.keptMemories() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return hasher.keptMemories() == 0;
    }

    @Test
    void hash_neverContainsThePassword() {
        assertThat(cheap.hash("Passw0rd-visible")).doesNotContain("Passw0rd-visible");
    }

    @Test
    void verify_acceptsTheRightPassword() {
        String stored = cheap.hash("s3cret-Пароль");

        assertThat(cheap.verify("s3cret-Пароль", stored)).isTrue();
    }

    @Test
    void verify_rejectsAWrongPassword() {
        String stored = cheap.hash("s3cret");

        assertThat(cheap.verify("s3cret ", stored)).isFalse();
        assertThat(cheap.verify("S3cret", stored)).isFalse();
        assertThat(cheap.verify("", stored)).isFalse();
    }

    @Test
    void hash_saltsEveryHashDifferently() {
        String first = cheap.hash("same password");
        String second = cheap.hash("same password");

        assertThat(second).isNotEqualTo(first);
        assertThat(salt(second)).isNotEqualTo(salt(first));
        assertThat(derivedHash(second)).as("the salt goes into the hash").isNotEqualTo(derivedHash(first));
        assertThat(cheap.verify("same password", first)).isTrue();
        assertThat(cheap.verify("same password", second)).isTrue();
    }

    @Test
    void verify_readsTheCostFromTheStoredHash() {
        String stored = cheap.hash("s3cret");
        assertThat(stored).startsWith("$argon2id$v=19$m=64,t=1,p=1$");
        PasswordHasher owasp = new PasswordHasher(PasswordHasher.Cost.OWASP);

        assertThat(owasp.verify("s3cret", stored)).isTrue();
        assertThat(owasp.verify("wrong", stored)).isFalse();
    }

    static Stream<Arguments> malformations() {
        return Stream.of(
                Arguments.of("empty", (UnaryOperator<String>) h -> ""),
                Arguments.of("not a PHC string", (UnaryOperator<String>) h -> "plain-text-password"),
                Arguments.of("bcrypt", (UnaryOperator<String>) h -> "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"),
                Arguments.of("argon2i", (UnaryOperator<String>) h -> h.replace("$argon2id$", "$argon2i$")),
                Arguments.of("other version", (UnaryOperator<String>) h -> h.replace("$v=19$", "$v=16$")),
                Arguments.of("no hash part", (UnaryOperator<String>) h -> h.substring(0, h.lastIndexOf('$'))),
                Arguments.of("truncated hash", (UnaryOperator<String>) h -> h.substring(0, h.length() - 30)),
                Arguments.of("salt of impossible base64 length", (UnaryOperator<String>) h -> replaceSalt(h, "AAAAAAAAAAAAA")),
                Arguments.of("hash one character too long", (UnaryOperator<String>) h -> h + "A"),
                Arguments.of("hash of impossible base64 length", (UnaryOperator<String>) h -> h + "AA"),
                Arguments.of("zero memory", (UnaryOperator<String>) h -> h.replace("$m=64,", "$m=0,")),
                Arguments.of("zero passes", (UnaryOperator<String>) h -> h.replace(",t=1,", ",t=0,")),
                Arguments.of("zero lanes", (UnaryOperator<String>) h -> h.replace(",p=1$", ",p=0$")),
                Arguments.of("absurd memory (9.5 GiB)", (UnaryOperator<String>) h -> h.replace("$m=64,", "$m=9999999,")),
                Arguments.of("trailing garbage", (UnaryOperator<String>) h -> h + "$extra"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformations")
    void verify_returnsFalseForAMalformedStoredHash(String description, UnaryOperator<String> malform) {
        String stored = malform.apply(cheap.hash("s3cret"));

        assertThat(cheap.verify("s3cret", stored)).isFalse();
    }

    private static String salt(String stored) {
        return stored.split("\\$")[4];
    }

    private static String derivedHash(String stored) {
        return stored.split("\\$")[5];
    }

    private static String replaceSalt(String stored, String salt) {
        String[] parts = stored.split("\\$");
        parts[4] = salt;
        return String.join("$", parts);
    }
}
