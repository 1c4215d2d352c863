package dev.sessiond.server.metrics;

import static java.util.Objects.requireNonNull;

import dev.sessiond.server.audit.AuditEvent;
import dev.sessiond.server.audit.AuditListener;
import dev.sessiond.server.audit.EventKind;
import dev.sessiond.server.error.Reason;
import dev.sessiond.server.session.SessionRecorder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counters of the sessions' life: opens by result, closes by reason, login failures, throttled
 * logins, and the reaper's runs. What committed is counted from the audit events (after the
 * commit); what the audit trail does not record comes through {@link SessionRecorder}. Every
 * label value comes from a closed set (results are the contract's error reasons, lower case),
 * so the number of series is bounded. Thread-safe.
 */
public final class SessionMetrics implements SessionRecorder, AuditListener {

    static final String OPENS = "sessiond.session.opens";
    static final String CLOSES = "sessiond.session.closes";
    static final String LOGIN_FAILURES = "sessiond.login.failures";
    static final String LOGINS_THROTTLED = "sessiond.logins.throttled";
    static final String REAPER_RUNS = "sessiond.reaper.runs";
    static final String REAPER_DELETED = "sessiond.reaper.sessions.deleted";

    static final String TAG_RESULT = "result";
    static final String TAG_REASON = "reason";
    /** The {@code result} of a session that was opened. */
    static final String OK = "ok";
    /** The close {@code reason} of sessions deleted by RemoveSession, which writes no audit event. */
    static final String REMOVED = "removed";

    private final MeterRegistry registry;
    private final Counter opened;
    private final Map<Reason, Counter> refused = new ConcurrentHashMap<>();
    private final Map<Reason, Counter> loginFailures = new ConcurrentHashMap<>();
    private final Map<EventKind, Counter> closes = new EnumMap<>(EventKind.class);
    private final Counter removed;
    private final Counter throttled;
    private final Counter reaperOk;
    private final Counter reaperFailed;
    private final Counter reaperDeleted;

    public SessionMetrics(MeterRegistry registry) {
        this.registry = requireNonNull(registry, "registry");
        opened = opens(OK);
        // The common results are there from the start, so that dashboards see zeros rather than gaps; rarer
        // ones are registered on first use.
        for (Reason reason : List.of(Reason.INVALID_CREDENTIALS, Reason.USER_BLOCKED, Reason.LOGIN_THROTTLED,
                Reason.LICENSE_LIMIT_REACHED)) {
            refused.put(reason, opens(label(reason)));
        }
        loginFailures.put(Reason.INVALID_CREDENTIALS, loginFailure(Reason.INVALID_CREDENTIALS));
        loginFailures.put(Reason.USER_BLOCKED, loginFailure(Reason.USER_BLOCKED));
        for (EventKind kind : List.of(EventKind.CLOSED, EventKind.CLOSED_BY_ADMIN, EventKind.CLOSED_WITH_PARENT,
                EventKind.EXPIRED, EventKind.USER_SESSIONS_DELETED)) {
            closes.put(kind, closes(kind.name().toLowerCase(Locale.ROOT)));
        }
        removed = closes(REMOVED);
        throttled = Counter.builder(LOGINS_THROTTLED)
                .description("Logins refused with LOGIN_THROTTLED: locked after failures, or the server too busy to check")
                .register(registry);
        reaperOk = reaperRuns(OK);
        reaperFailed = reaperRuns("failed");
        reaperDeleted = Counter.builder(REAPER_DELETED)
                .description("Sessions deleted by the expired-session reaper (expired ones and those nested in them)")
                .register(registry);
    }

    @Override
    public void committed(List<AuditEvent> events) {
        for (AuditEvent event : events) {
            switch (event.kind()) {
                case OPENED -> opened.increment();
                case LOGIN_FAILED -> reasonOf(event.detail()).ifPresent(reason -> {
                    refusedCounter(reason).increment();
                    loginFailures.computeIfAbsent(reason, this::loginFailure).increment();
                });
                case CLOSED, CLOSED_BY_ADMIN, CLOSED_WITH_PARENT, EXPIRED, USER_SESSIONS_DELETED ->
                        closes.get(event.kind()).increment();
                default -> {
                    // (de)activations, user and configuration changes are not counted here
                }
            }
        }
    }

    @Override
    public void openRefused(Reason reason) {
        refusedCounter(requireNonNull(reason, "reason")).increment();
    }

    @Override
    public void loginThrottled() {
        throttled.increment();
    }

    @Override
    public void removed(int sessions) {
        removed.increment(sessions);
    }

    @Override
    public void reaperRun(boolean ok, int deleted) {
        (ok ? reaperOk : reaperFailed).increment();
        reaperDeleted.increment(deleted);
    }

    private Counter refusedCounter(Reason reason) {
        return refused.computeIfAbsent(reason, r -> opens(label(r)));
    }

    private Counter opens(String result) {
        return Counter.builder(OPENS)
                .description("Attempts to open a session (sign-ins, server opens, added and nested sessions), by result: "
                        + "ok or the error reason")
                .tag(TAG_RESULT, result)
                .register(registry);
    }

    private Counter loginFailure(Reason reason) {
        return Counter.builder(LOGIN_FAILURES)
                .description("Refused password logins, by reason (they are also audited as LOGIN_FAILED)")
                .tag(TAG_REASON, label(reason))
                .register(registry);
    }

    private Counter closes(String reason) {
        return Counter.builder(CLOSES)
                .description("Sessions that ended, by reason (nested sessions count once each)")
                .tag(TAG_REASON, reason)
                .register(registry);
    }

    private Counter reaperRuns(String result) {
        return Counter.builder(REAPER_RUNS)
                .description("Runs of the expired-session reaper, by result")
                .tag(TAG_RESULT, result)
                .register(registry);
    }

    private static String label(Reason reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }

    /** A failed login's audit detail is its reason; anything else is not counted (and cannot add series). */
    private static Optional<Reason> reasonOf(String detail) {
        for (Reason reason : Reason.values()) {
            if (reason.name().equals(detail)) {
                return Optional.of(reason);
            }
        }
        return Optional.empty();
    }
}
