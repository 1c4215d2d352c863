package dev.sessiond.server.user;

import static java.util.Objects.requireNonNull;

import dev.sessiond.server.audit.Actor;
import dev.sessiond.server.audit.AuditEvent;
import dev.sessiond.server.audit.AuditLog;
import dev.sessiond.server.audit.EventKind;
import dev.sessiond.server.auth.PasswordHasher;
import dev.sessiond.server.error.AccessDeniedException;
import dev.sessiond.server.error.AlreadyExistsException;
import dev.sessiond.server.error.AuthenticationException;
import dev.sessiond.server.error.InvalidArgumentException;
import dev.sessiond.server.error.NotFoundException;
import dev.sessiond.server.store.StoreErrors;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * User accounts: creation, changes, passwords and password checks. Changes that take a user's
 * rights away (new password, block, delete) close the user's sessions in the same transaction.
 * Thread-safe.
 */
public final class UserService {

    public static final int MAX_LOGIN = 256;
    public static final int MAX_DISPLAY_NAME = 256;
    public static final int MAX_PASSWORD = 1024;

    /** <code>DOMAIN&#92;user</code>: a domain name (letters, digits, '-'), one backslash, a user name. */
    private static final Pattern DOMAIN_LOGIN =
            Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,63}\\\\[^\\\\\\s](?:[^\\\\]*[^\\\\\\s])?");
    private static final String DOMAIN_USERS_HAVE_NO_PASSWORD =
            "domain users sign in through their directory (expected: no password)";

    private final Jdbi jdbi;
    private final PasswordHasher hasher;
    private final AuditLog audit;
    private final UserSessionsCloser sessions;
    private final LicenseType defaultLicenseType;
    private final Clock clock;

    public UserService(Jdbi jdbi, PasswordHasher hasher, AuditLog audit, UserSessionsCloser sessions,
            LicenseType defaultLicenseType, Clock clock) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.hasher = requireNonNull(hasher, "hasher");
        this.audit = requireNonNull(audit, "audit");
        this.sessions = requireNonNull(sessions, "sessions");
        this.defaultLicenseType = requireNonNull(defaultLicenseType, "defaultLicenseType");
        this.clock = requireNonNull(clock, "clock");
    }

    /** The key logins are unique and looked up by: case-insensitive, locale-independent. */
    public static String loginKey(String login) {
        return login.toLowerCase(Locale.ROOT);
    }

    public User create(NewUser request, Actor actor) {
        String login = checkLogin("login", request.login());
        String displayName = request.displayName().isEmpty() ? login : checkText("display_name", request.displayName(), MAX_DISPLAY_NAME);
        checkPasswordLength("password", request.password());
        if (isDomainLogin(login) && !request.password().isEmpty()) {
            throw new InvalidArgumentException("password", DOMAIN_USERS_HAVE_NO_PASSWORD);
        }
        String hash = request.password().isEmpty() ? null : hasher.hash(request.password());
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        LicenseType license = request.licenseType().orElse(defaultLicenseType);
        try {
            return StoreErrors.guard(() -> jdbi.inTransaction(h -> {
                h.attach(UserDao.class).insert(id, login, loginKey(login), displayName, hash,
                        request.isAdmin(), request.isService(), license.name(), now.toEpochMilli());
                User user = UserLookupDao.findById(h, id).orElseThrow();
                audit.record(h, userEvent(now, user, actor, "created"));
                return user;
            }));
        } catch (UnableToExecuteStatementException e) {
            if (StoreErrors.isUniqueViolation(e)) {
                throw new AlreadyExistsException("login: '" + login + "' is taken (logins are unique without regard to case)");
            }
            throw e;
        }
    }

    public User get(UUID id) {
        return find(id).orElseThrow(() -> notFound(id));
    }

    public Optional<User> find(UUID id) {
        return StoreErrors.guard(() -> jdbi.withHandle(h -> UserLookupDao.findById(h, id)));
    }

    public Optional<User> findByLogin(String login) {
        if (login.length() > MAX_LOGIN) {
            return Optional.empty();
        }
        return StoreErrors.guard(() -> jdbi.withHandle(h -> UserLookupDao.findByLoginKey(h, loginKey(login))));
    }

    /** Users ordered by login key, after {@code afterLoginKey} ("" = from the start). */
    public Page<User> list(String afterLoginKey, int pageSize) {
        List<User> rows = StoreErrors.guard(() -> jdbi.withExtension(UserDao.class, dao -> dao.listAfter(afterLoginKey, pageSize + 1)));
        if (rows.size() <= pageSize) {
            return new Page<>(rows, Optional.empty());
        }
        List<User> page = rows.subList(0, pageSize);
        return new Page<>(page, Optional.of(loginKey(page.get(pageSize - 1).login())));
    }

    public User update(UUID id, UserChanges changes, Actor actor) {
        changes.displayName().ifPresent(name -> checkText("display_name", name, MAX_DISPLAY_NAME));
        Instant now = clock.instant();
        User updated = StoreErrors.guard(() -> jdbi.inTransaction(h -> {
            UserDao dao = h.attach(UserDao.class);
            User before = UserLookupDao.findById(h, id).orElseThrow(() -> notFound(id));
            User after = changes.applyTo(before, now);
            boolean losesAdmin = before.isAdmin() && !before.isBlocked() && (!after.isAdmin() || after.isBlocked());
            if (losesAdmin) {
                requireAnotherAdmin(dao, id, "user", "this change would leave no unblocked administrator");
            }
            dao.update(id, after.displayName(), after.isAdmin(), after.isService(), after.licenseType().name(),
                    after.isBlocked(), now.toEpochMilli());
            audit.record(h, userEvent(now, after, actor, describe(before, after)));
            if (after.isBlocked() && !before.isBlocked()) {
                sessions.closeAll(h, id, actor, "user blocked");
            }
            sessions.userChanged(h, id);
            return UserLookupDao.findById(h, id).orElseThrow();
        }));
        return updated;
    }

    public void setPassword(UUID id, String password, Actor actor) {
        if (password.isEmpty()) {
            throw new InvalidArgumentException("password", "empty (expected: 1 to " + MAX_PASSWORD + " characters)");
        }
        checkPasswordLength("password", password);
        String hash = hasher.hash(password);
        Instant now = clock.instant();
        StoreErrors.guardRun(() -> jdbi.useTransaction(h -> {
            UserDao dao = h.attach(UserDao.class);
            User user = UserLookupDao.findById(h, id).orElseThrow(() -> notFound(id));
            if (isDomainLogin(user.login())) {
                throw new InvalidArgumentException("password", DOMAIN_USERS_HAVE_NO_PASSWORD);
            }
            dao.setPasswordHash(id, hash, now.toEpochMilli());
            audit.record(h, userEvent(now, user, actor, "password set"));
            sessions.closeAll(h, id, actor, "password set");
        }));
    }

    public void delete(UUID id, Actor actor) {
        Instant now = clock.instant();
        StoreErrors.guardRun(() -> jdbi.useTransaction(h -> {
            UserDao dao = h.attach(UserDao.class);
            User user = UserLookupDao.findById(h, id).orElseThrow(() -> notFound(id));
            if (user.isAdmin() && !user.isBlocked()) {
                requireAnotherAdmin(dao, id, "user_id", "deleting this user would leave no unblocked administrator");
            }
            sessions.closeAll(h, id, actor, "user deleted");
            dao.delete(id);
            audit.record(h, userEvent(now, user, actor, "deleted"));
        }));
    }

    /**
     * Checks a login and password. The answer for an unknown login, a user without a password
     * and a wrong password is the same and costs the same time, so logins cannot be
     * enumerated; a blocked user is reported only after the password was right.
     */
    public User authenticate(String login, String password) {
        Optional<User> user = findByLogin(login);
        Optional<String> hash = user.flatMap(u ->
                StoreErrors.guard(() -> jdbi.withHandle(h -> UserLookupDao.passwordHash(h, u.id()))));
        if (hash.isEmpty()) {
            hasher.verifyDecoy(password);
            throw AuthenticationException.invalidCredentials();
        }
        if (!hasher.verify(password, hash.get())) {
            throw AuthenticationException.invalidCredentials();
        }
        if (user.get().isBlocked()) {
            throw AccessDeniedException.userBlocked();
        }
        return user.get();
    }

    /** Whether the store holds no user at all (first start). */
    public boolean isEmpty() {
        return StoreErrors.guard(() -> jdbi.withExtension(UserDao.class, UserDao::count)) == 0;
    }

    private static void requireAnotherAdmin(UserDao dao, UUID id, String field, String problem) {
        if (dao.countOtherActiveAdmins(id) == 0) {
            throw new InvalidArgumentException(field, problem);
        }
    }

    private static AuditEvent userEvent(Instant now, User user, Actor actor, String detail) {
        return new AuditEvent(now, EventKind.USER_CHANGED, Optional.empty(), Optional.of(user.id()), user.login(),
                actor, "", detail);
    }

    private static String describe(User before, User after) {
        List<String> changed = new ArrayList<>();
        if (!before.displayName().equals(after.displayName())) {
            changed.add("display_name");
        }
        if (before.isAdmin() != after.isAdmin()) {
            changed.add("is_admin=" + after.isAdmin());
        }
        if (before.isService() != after.isService()) {
            changed.add("is_service=" + after.isService());
        }
        if (before.licenseType() != after.licenseType()) {
            changed.add("license_type=" + after.licenseType());
        }
        if (before.isBlocked() != after.isBlocked()) {
            changed.add("is_blocked=" + after.isBlocked());
        }
        return changed.isEmpty() ? "updated (no change)" : "updated " + String.join(", ", changed);
    }

    private static NotFoundException notFound(UUID id) {
        return new NotFoundException("user_id: no user with id " + id);
    }

    /**
     * Whether {@code login} is a directory domain user's, <code>DOMAIN&#92;user</code>. Such users sign in
     * through their directory (or Kerberos) and have no sessiond password; local logins have no
     * backslash, so the two can never be confused.
     */
    public static boolean isDomainLogin(String login) {
        return DOMAIN_LOGIN.matcher(login).matches();
    }

    static String checkLogin(String field, String login) {
        if (login.isEmpty()) {
            throw new InvalidArgumentException(field, "empty (expected: 1 to " + MAX_LOGIN + " characters)");
        }
        checkText(field, login, MAX_LOGIN);
        if (!login.strip().equals(login) || (login.indexOf('\\') >= 0 && !isDomainLogin(login))) {
            throw new InvalidArgumentException(field, "'" + login
                    + "' (expected: no leading or trailing spaces, and no '\\' except in a domain user's DOMAIN\\user)");
        }
        return login;
    }

    /** Checks length and the absence of control characters; returns the text. */
    public static String checkText(String field, String text, int max) {
        if (text.length() > max) {
            throw new InvalidArgumentException(field, text.length() + " characters (expected: at most " + max + ")");
        }
        if (text.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidArgumentException(field, "contains control characters (expected: printable text)");
        }
        return text;
    }

    private static void checkPasswordLength(String field, String password) {
        if (password.length() > MAX_PASSWORD) {
            throw new InvalidArgumentException(field, password.length() + " characters (expected: at most " + MAX_PASSWORD + ")");
        }
    }
}
