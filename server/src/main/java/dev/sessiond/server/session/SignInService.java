package dev.sessiond.server.session;

import static java.util.Objects.requireNonNull;

import dev.sessiond.server.audit.AuditEvent;
import dev.sessiond.server.audit.AuditLog;
import dev.sessiond.server.audit.EventKind;
import dev.sessiond.server.auth.HashingSlots;
import dev.sessiond.server.auth.LoginThrottle;
import dev.sessiond.server.auth.domain.DomainLogin;
import dev.sessiond.server.auth.domain.DomainSignIn;
import dev.sessiond.server.auth.domain.KerberosLogin;
import dev.sessiond.server.error.AuthenticationException;
import dev.sessiond.server.error.LimitExceededException;
import dev.sessiond.server.error.Reason;
import dev.sessiond.server.error.SessiondException;
import dev.sessiond.server.store.StoreErrors;
import dev.sessiond.server.user.User;
import dev.sessiond.server.user.UserService;
import java.time.Clock;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Sign-in: checks a login and password (local users here, domain users against their
 * directory) or a Kerberos ticket, and opens a client session. Refused logins are recorded in
 * the audit trail (the login as typed, escaped; never the password) with the authentication
 * source. Wrong passwords and bad tickets count towards a throttle (SPEC §6): per canonical
 * login for passwords, per client address for Kerberos; limit denials and unreachable
 * directories do not. Thread-safe.
 */
public final class SignInService {

    public static final String AUTH_LOCAL = "local";
    public static final String AUTH_LDAP = "ldap";
    public static final String AUTH_KERBEROS = "kerberos";
    /** Throttle keys of Kerberos sign-in, per client address; no login can start with it ('\\' is reserved). */
    private static final String KERBEROS_THROTTLE_PREFIX = "\\kerberos@";

    private final UserService users;
    private final DomainSignIn domains;
    private final SessionService sessions;
    private final LoginThrottle throttle;
    private final AuditLog audit;
    private final Jdbi jdbi;
    private final Clock clock;
    private final SessionRecorder recorder;
    private final HashingSlots hashing;

    public SignInService(UserService users, DomainSignIn domains, SessionService sessions, LoginThrottle throttle,
            HashingSlots hashing, AuditLog audit, Jdbi jdbi, Clock clock, SessionRecorder recorder) {
        this.hashing = requireNonNull(hashing, "hashing");
        this.users = requireNonNull(users, "users");
        this.domains = requireNonNull(domains, "domains");
        this.sessions = requireNonNull(sessions, "sessions");
        this.throttle = requireNonNull(throttle, "throttle");
        this.audit = requireNonNull(audit, "audit");
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.clock = requireNonNull(clock, "clock");
        this.recorder = requireNonNull(recorder, "recorder");
    }

    /**
     * @param domain the directory domain; empty for local users (and for <code>DOMAIN&#92;user</code>
     *     or {@code user@domain} logins, see {@link DomainSignIn#parse})
     */
    public OpenedSession signIn(String login, String password, String domain, String applicationId, ClientContext client) {
        Optional<DomainLogin> domainLogin = domains.parse(login, domain);
        String source = domainLogin.isPresent() ? AUTH_LDAP : AUTH_LOCAL;
        // One throttle per canonical login: the DOMAIN-qualified login for domain logins, whatever its spelling.
        String key = UserService.loginKey(domainLogin.map(DomainLogin::login).orElse(login));
        User user;
        HashingSlots.Place place = null;
        try {
            if (domainLogin.isEmpty()) {
                // A flood beyond the hashing capacity is turned away before any store access: on the
                // transport's thread, where a sign-in starts (CallExecutors). The store access below
                // moves the rest to a call thread, which starts over and reserves again.
                place = hashing.reserve();
            }
            throttle.check(key, clock.instant());
            user = domainLogin.isPresent()
                    ? domains.authenticate(domainLogin.get(), password, client.anonymousActor())
                    : users.authenticate(login, password);
        } catch (LimitExceededException throttled) {
            // locked after failures, or every password-hashing slot taken; not audited, so counted here
            recorder.loginThrottled();
            recorder.openRefused(throttled.reason());
            throw throttled;
        } catch (SessiondException refused) {
            recordFailure(domainLogin.map(DomainLogin::login).orElse(login), client, refused, source);
            if (refused instanceof AuthenticationException) {
                throttle.recordFailure(key, clock.instant());
            }
            throw refused;
        } finally {
            if (place != null) {
                place.close();
            }
        }
        throttle.recordSuccess(key, clock.instant());
        // Licence and session-limit denials below are not failed logins: nothing is counted.
        return sessions.open(user, new OpenSpec(Optional.empty(), applicationId, Optional.of(SessionType.CLIENT),
                client, Optional.empty(), source, client.anonymousActor()));
    }

    /** Windows sign-in: validates a SPNEGO/Kerberos token and opens a session for its domain user. */
    public WindowsOpenedSession signInWithKerberos(byte[] token, String applicationId, ClientContext client) {
        String login = "";
        // The principal is known only once the ticket is accepted: throttle by client address.
        String key = KERBEROS_THROTTLE_PREFIX + client.clientAddress();
        throttle.check(key, clock.instant());
        KerberosLogin ticket;
        User user;
        try {
            ticket = domains.acceptKerberos(token);
            login = ticket.auditLogin();
            user = domains.authenticate(ticket, client.anonymousActor());
        } catch (SessiondException refused) {
            recordFailure(login, client, refused, AUTH_KERBEROS);
            if (refused instanceof AuthenticationException) {
                throttle.recordFailure(key, clock.instant());
            }
            throw refused;
        }
        throttle.recordSuccess(key, clock.instant());
        OpenedSession opened = sessions.open(user, new OpenSpec(Optional.empty(), applicationId,
                Optional.of(SessionType.CLIENT), client, Optional.empty(), AUTH_KERBEROS, client.anonymousActor()));
        return new WindowsOpenedSession(opened, ticket.responseToken());
    }

    private void recordFailure(String login, ClientContext client, SessiondException refused, String source) {
        if (refused.reason() == null || StoreErrors.isUnavailable(refused.getCause())
                || refused.reason() == Reason.STORE_UNAVAILABLE) {
            // Not the user's failure: the store or a directory could not be asked.
            return;
        }
        Optional<User> known = users.findByLogin(login);
        var event = new AuditEvent(clock.instant(), EventKind.LOGIN_FAILED, Optional.empty(),
                known.map(User::id), login, client.anonymousActor(), source, refused.reason().name());
        StoreErrors.guard(() -> jdbi.inTransaction(h -> {
            audit.record(h, event);
            return null;
        }));
    }
}
