package dev.sessiond.server.session;

import static java.util.Objects.requireNonNull;

import dev.sessiond.server.audit.AuditEvent;
import dev.sessiond.server.audit.AuditLog;
import dev.sessiond.server.audit.EventKind;
import dev.sessiond.server.auth.LoginThrottle;
import dev.sessiond.server.error.AccessDeniedException;
import dev.sessiond.server.error.AuthenticationException;
import dev.sessiond.server.error.LimitExceededException;
import dev.sessiond.server.error.NotImplementedException;
import dev.sessiond.server.error.SessiondException;
import dev.sessiond.server.store.StoreErrors;
import dev.sessiond.server.user.User;
import dev.sessiond.server.user.UserService;
import java.time.Clock;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Password sign-in: checks a login and password and opens a client session. Refused logins
 * are recorded in the audit trail (the login as typed, escaped; never the password); wrong
 * passwords count towards the login's throttle (SPEC §6), limit denials do not.
 * Thread-safe.
 */
public final class SignInService {

    public static final String AUTH_LOCAL = "local";

    private final UserService users;
    private final SessionService sessions;
    private final LoginThrottle throttle;
    private final AuditLog audit;
    private final Jdbi jdbi;
    private final Clock clock;
    private final SessionRecorder recorder;

    public SignInService(UserService users, SessionService sessions, LoginThrottle throttle, AuditLog audit, Jdbi jdbi,
            Clock clock, SessionRecorder recorder) {
        this.users = requireNonNull(users, "users");
        this.sessions = requireNonNull(sessions, "sessions");
        this.throttle = requireNonNull(throttle, "throttle");
        this.audit = requireNonNull(audit, "audit");
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.clock = requireNonNull(clock, "clock");
        this.recorder = requireNonNull(recorder, "recorder");
    }

    /**
     * @param domain the directory domain; empty for local users
     */
    public OpenedSession signIn(String login, String password, String domain, String applicationId, ClientContext client) {
        if (!domain.isEmpty() || login.indexOf('\\') >= 0) {
            throw new NotImplementedException("directory (LDAP) sign-in for domain logins");
        }
        String key = UserService.loginKey(login);
        User user;
        try {
            throttle.check(key, clock.instant());
            user = users.authenticate(login, password);
        } catch (LimitExceededException throttled) {
            // locked after failures, or every password-hashing slot taken; not audited, so counted here
            recorder.loginThrottled();
            recorder.openRefused(throttled.reason());
            throw throttled;
        } catch (AuthenticationException | AccessDeniedException refused) {
            recordFailure(login, client, refused);
            if (refused instanceof AuthenticationException) {
                throttle.recordFailure(key, clock.instant());
            }
            throw refused;
        }
        throttle.recordSuccess(key, clock.instant());
        // Licence and session-limit denials below are not failed logins: nothing is counted.
        return sessions.open(user, new OpenSpec(Optional.empty(), applicationId, Optional.of(SessionType.CLIENT),
                client, Optional.empty(), AUTH_LOCAL, client.anonymousActor()));
    }

    private void recordFailure(String login, ClientContext client, SessiondException refused) {
        Optional<User> known = users.findByLogin(login);
        var event = new AuditEvent(clock.instant(), EventKind.LOGIN_FAILED, Optional.empty(),
                known.map(User::id), login, client.anonymousActor(), AUTH_LOCAL, refused.reason().name());
        StoreErrors.guard(() -> jdbi.inTransaction(h -> {
            audit.record(h, event);
            return null;
        }));
    }
}
