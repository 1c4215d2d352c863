package dev.sessiond.server.auth;

import static java.util.Objects.requireNonNull;

import dev.sessiond.server.error.LimitExceededException;
import dev.sessiond.server.store.StoreErrors;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.slf4j.LoggerFactory;

/**
 * Login throttling (SPEC §6), per lower-cased login whether or not the login exists. Failures
 * are counted in the store with one conditional update each ({@code failures < max}), so
 * however many attempts race — on one server or several — the count never passes the
 * threshold; the failure that reaches it locks the login for the lockout time, during which
 * even the right password is refused. A right password before that resets the count.
 * Thread-safe.
 */
public final class LoginThrottle {

    private final Jdbi jdbi;
    private final ThrottlePolicy policy;

    public LoginThrottle(Jdbi jdbi, ThrottlePolicy policy) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.policy = requireNonNull(policy, "policy");
    }

    /** @throws LimitExceededException LOGIN_THROTTLED while the login is locked */
    public void check(String loginKey, Instant now) {
        Optional<Long> lockedUntil = StoreErrors.guard(() -> jdbi.withExtension(ThrottleDao.class, dao -> {
            dao.unlockExpired(loginKey, policy.maxFailures(), now.toEpochMilli());
            return dao.lockedUntil(loginKey);
        }));
        if (lockedUntil.isPresent() && lockedUntil.get() > now.toEpochMilli()) {
            throw throttled(lockedUntil.get(), now);
        }
    }

    /**
     * Counts a failed login.
     *
     * @throws LimitExceededException LOGIN_THROTTLED when the login was already locked by
     *     other attempts, so this one was not counted
     */
    public void recordFailure(String loginKey, Instant now) {
        long lockEnd = now.plus(policy.lockout()).toEpochMilli();
        boolean counted = StoreErrors.guard(() -> jdbi.withExtension(ThrottleDao.class, dao -> {
            try {
                dao.insert(loginKey, now.toEpochMilli());
            } catch (UnableToExecuteStatementException e) {
                if (!StoreErrors.isUniqueViolation(e)) {
                    throw e;
                }
                // the row exists already (or a racing attempt just created it)
            }
            return dao.countFailure(loginKey, policy.maxFailures(), now.toEpochMilli(), lockEnd) == 1;
        }));
        if (!counted) {
            check(loginKey, now);
            throw throttled(lockEnd, now);
        }
    }

    /** A right password: the count starts again (unless a lock is in force, which {@link #check} reports). */
    public void recordSuccess(String loginKey, Instant now) {
        check(loginKey, now);
        StoreErrors.guard(() -> jdbi.withExtension(ThrottleDao.class, dao -> dao.reset(loginKey, now.toEpochMilli())));
    }

    /** Forgets logins that are neither locked nor failed recently, so the table does not grow without bound. */
    public int purgeStale(Instant now) {
        long before = now.minus(policy.lockout()).toEpochMilli();
        return StoreErrors.guard(() -> jdbi.withExtension(ThrottleDao.class, dao -> dao.purge(before, now.toEpochMilli())));
    }

    /** For the scheduler: failures are logged, never propagated. */
    public void purgeStaleQuietly(Instant now) {
        try {
            purgeStale(now);
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(LoginThrottle.class).warn("could not purge stale login throttles: {}", e.toString());
        }
    }

    private static LimitExceededException throttled(long lockedUntil, Instant now) {
        long wait = Math.max(1, lockedUntil - now.toEpochMilli());
        return LimitExceededException.loginThrottled(Duration.ofMillis(wait));
    }

    interface ThrottleDao {
        @SqlUpdate("INSERT INTO login_throttle (login_key, failures, locked_until_ms, updated_ms) VALUES (:key, 0, 0, :now)")
        void insert(@Bind("key") String loginKey, @Bind("now") long now);

        @SqlUpdate("""
                UPDATE login_throttle
                SET failures = failures + 1, updated_ms = :now,
                    locked_until_ms = CASE WHEN failures + 1 >= :max THEN :lockEnd ELSE locked_until_ms END
                WHERE login_key = :key AND failures < :max""")
        int countFailure(@Bind("key") String loginKey, @Bind("max") int max, @Bind("now") long now,
                @Bind("lockEnd") long lockEnd);

        @SqlUpdate("""
                UPDATE login_throttle SET failures = 0, locked_until_ms = 0
                WHERE login_key = :key AND failures >= :max AND locked_until_ms <= :now""")
        int unlockExpired(@Bind("key") String loginKey, @Bind("max") int max, @Bind("now") long now);

        @SqlQuery("SELECT locked_until_ms FROM login_throttle WHERE login_key = :key")
        Optional<Long> lockedUntil(@Bind("key") String loginKey);

        @SqlUpdate("UPDATE login_throttle SET failures = 0, updated_ms = :now WHERE login_key = :key AND failures > 0")
        int reset(@Bind("key") String loginKey, @Bind("now") long now);

        @SqlUpdate("DELETE FROM login_throttle WHERE updated_ms < :before AND locked_until_ms <= :now")
        int purge(@Bind("before") long before, @Bind("now") long now);
    }
}
