package dev.sessiond.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sessiond.proto.v1.ErrorReason;
import dev.sessiond.proto.v1.Session;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class TokenCacheTest {

    private static final Duration POSITIVE = Duration.ofSeconds(5);
    private static final Duration NEGATIVE = Duration.ofSeconds(1);

    private final SettableClock clock = new SettableClock();
    /** What "sessiond" answers per token: a session id, or a failure. */
    private final Map<String, Function<String, Session>> answers = new ConcurrentHashMap<>();
    private final List<String> asked = new ArrayList<>();

    private TokenCache cache(int maxEntries) {
        return new TokenCache(token -> {
            synchronized (asked) {
                asked.add(token);
            }
            return answers.get(token).apply(token);
        }, POSITIVE, NEGATIVE, maxEntries, clock);
    }

    private void valid(String token) {
        answers.put(token, t -> Session.newBuilder().setId("session-of-" + t).build());
    }

    private void refused(String token, ErrorReason reason) {
        answers.put(token, t -> {
            throw failure(Status.Code.UNAUTHENTICATED, reason);
        });
    }

    @Test
    void aValidToken_isRememberedForThePositiveTime() {
        TokenCache cache = cache(100);
        valid("t1");

        assertThat(cache.get("t1")).isEqualTo(new TokenCache.Valid(Session.newBuilder().setId("session-of-t1").build()));
        refused("t1", ErrorReason.SESSION_NOT_FOUND); // closed on the server meanwhile
        clock.advance(POSITIVE.minusMillis(1));
        assertThat(cache.get("t1")).isInstanceOf(TokenCache.Valid.class);
        assertThat(asked).containsExactly("t1");

        clock.advance(Duration.ofMillis(1));
        assertThat(cache.get("t1")).isInstanceOf(TokenCache.Refused.class);
        assertThat(asked).containsExactly("t1", "t1");
    }

    @Test
    void aRefusedToken_isRememberedForTheShorterNegativeTime() {
        TokenCache cache = cache(100);
        refused("t1", ErrorReason.TOKEN_SIGNATURE_INVALID);

        var refused = (TokenCache.Refused) cache.get("t1");
        assertThat(refused.why().reason()).isEqualTo(ErrorReason.TOKEN_SIGNATURE_INVALID);
        clock.advance(NEGATIVE.minusMillis(1));
        assertThat(cache.get("t1")).isSameAs(refused);
        assertThat(asked).hasSize(1);

        clock.advance(Duration.ofMillis(1));
        cache.get("t1");
        assertThat(asked).hasSize(2);
    }

    @Test
    void aFailureThatSaysNothingAboutTheToken_isThrownAndNotRemembered() {
        TokenCache cache = cache(100);
        answers.put("t1", t -> {
            throw failure(Status.Code.UNAVAILABLE, ErrorReason.STORE_UNAVAILABLE);
        });

        assertThatThrownBy(() -> cache.get("t1"))
                .isInstanceOfSatisfying(SessionException.class, e -> assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE));
        valid("t1");
        assertThat(cache.get("t1")).isInstanceOf(TokenCache.Valid.class);
        assertThat(asked).hasSize(2);
    }

    @Test
    void aDeactivatedSessionThatCannotBeReactivated_isARefusal() {
        TokenCache cache = cache(100);
        answers.put("t1", t -> {
            throw failure(Status.Code.FAILED_PRECONDITION, ErrorReason.CANT_REACTIVATE_SESSION);
        });

        assertThat(cache.get("t1")).isInstanceOf(TokenCache.Refused.class);
    }

    @Test
    void concurrentLookupsOfOneToken_shareOneValidation() throws Exception {
        CountDownLatch validating = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger validations = new AtomicInteger();
        TokenCache cache = new TokenCache(token -> {
            validations.incrementAndGet();
            validating.countDown();
            await(release);
            return Session.newBuilder().setId("s").build();
        }, POSITIVE, NEGATIVE, 100, clock);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<TokenCache.Outcome>> results = new ArrayList<>();
            results.add(threads.submit(() -> cache.get("t1")));
            assertThat(validating.await(10, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 7; i++) {
                results.add(threads.submit(() -> cache.get("t1")));
            }
            release.countDown();
            for (Future<TokenCache.Outcome> result : results) {
                assertThat(result.get(10, TimeUnit.SECONDS)).isInstanceOf(TokenCache.Valid.class);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(validations).hasValue(1);
    }

    @Test
    void theCache_holdsAtMostMaxEntries_droppingExpiredOnesFirst() {
        TokenCache cache = cache(2);
        refused("old", ErrorReason.SESSION_EXPIRED);
        valid("a");
        valid("b");

        cache.get("old");
        clock.advance(NEGATIVE);
        cache.get("a");
        cache.get("b");

        assertThat(cache.size()).isEqualTo(2);
        cache.get("a");
        cache.get("b");
        assertThat(asked).containsExactly("old", "a", "b");
    }

    private static SessionException failure(Status.Code code, ErrorReason reason) {
        return new SessionException(code, reason.name(), "test", Map.of(), null, null);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A clock that moves only when told. */
    static final class SettableClock extends Clock {
        private volatile Instant now = Instant.parse("2030-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
