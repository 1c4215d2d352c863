package dev.sessiond.client;

import static java.util.Objects.requireNonNull;

import dev.sessiond.proto.v1.Session;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Remembers what sessiond said about tokens: a valid token for {@code positiveTtl}, a refused
 * one for {@code negativeTtl}. Failures that say nothing about the token (sessiond unreachable,
 * this service's own credentials refused) are not remembered. Concurrent lookups of one token
 * share one validation. At most {@code maxEntries} tokens are kept: when more arrive, expired
 * entries go first, then every finished one. Thread-safe.
 */
final class TokenCache {

    /** What sessiond said about a token. */
    sealed interface Outcome permits Valid, Refused {}

    /** The token is valid; {@code session} is its session with the stored culture. */
    record Valid(Session session) implements Outcome {}

    /** The token was refused: {@code why} says how (UNAUTHENTICATED or FAILED_PRECONDITION). */
    record Refused(SessionException why) implements Outcome {}

    /** The status codes with which ValidateAndGetSession refuses the token itself. */
    private static final Set<Status.Code> REFUSALS = Set.of(
            Status.Code.UNAUTHENTICATED, Status.Code.FAILED_PRECONDITION, Status.Code.INVALID_ARGUMENT);

    private final Function<String, Session> validate;
    private final Duration positiveTtl;
    private final Duration negativeTtl;
    private final int maxEntries;
    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /**
     * @param validate asks sessiond; throws {@link SessionException} when it refuses or cannot answer
     */
    TokenCache(Function<String, Session> validate, Duration positiveTtl, Duration negativeTtl, int maxEntries,
            Clock clock) {
        this.validate = requireNonNull(validate, "validate");
        this.positiveTtl = requireNonNull(positiveTtl, "positiveTtl");
        this.negativeTtl = requireNonNull(negativeTtl, "negativeTtl");
        this.maxEntries = maxEntries;
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * What sessiond says (or recently said) about {@code token}.
     *
     * @throws SessionException when sessiond could not say anything about the token
     */
    Outcome get(String token) {
        Instant now = clock.instant();
        Entry mine = new Entry();
        Entry entry = entries.compute(token, (k, known) -> known == null || known.isExpired(now) ? mine : known);
        if (entry != mine) {
            return await(entry);
        }
        Outcome outcome;
        try {
            outcome = ask(token);
        } catch (RuntimeException e) {
            entries.remove(token, mine);
            mine.future.completeExceptionally(e);
            throw e;
        }
        mine.expires = clock.instant().plus(outcome instanceof Valid ? positiveTtl : negativeTtl);
        mine.future.complete(outcome);
        if (entries.size() > maxEntries) {
            evict();
        }
        return outcome;
    }

    int size() {
        return entries.size();
    }

    private Outcome ask(String token) {
        try {
            return new Valid(validate.apply(token));
        } catch (SessionException e) {
            // A refusal of the validating service's own token says nothing about this token.
            if (REFUSALS.contains(e.code()) && !e.isAboutCallersToken()) {
                return new Refused(e);
            }
            throw e;
        }
    }

    private static Outcome await(Entry entry) {
        try {
            return entry.future.join();
        } catch (CompletionException e) {
            throw SessionException.from(e.getCause());
        }
    }

    private void evict() {
        Instant now = clock.instant();
        entries.values().removeIf(e -> e.isExpired(now));
        if (entries.size() > maxEntries) {
            entries.values().removeIf(e -> e.future.isDone());
        }
    }

    private static final class Entry {
        final CompletableFuture<Outcome> future = new CompletableFuture<>();
        /** Set before {@link #future} completes normally; null while validating or after a failure. */
        volatile Instant expires;

        boolean isExpired(Instant now) {
            Instant until = expires;
            return future.isDone() && (until == null || !now.isBefore(until));
        }
    }
}
