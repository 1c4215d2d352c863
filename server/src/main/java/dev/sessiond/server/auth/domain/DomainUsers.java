package dev.sessiond.server.auth.domain;

import static java.util.Objects.requireNonNull;

import dev.sessiond.server.audit.Actor;
import dev.sessiond.server.error.AccessDeniedException;
import dev.sessiond.server.error.AlreadyExistsException;
import dev.sessiond.server.error.InvalidArgumentException;
import dev.sessiond.server.user.NewUser;
import dev.sessiond.server.user.User;
import dev.sessiond.server.user.UserChanges;
import dev.sessiond.server.user.UserService;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a directory user whom the directory (or Kerberos) has vouched for into a sessiond
 * user: the first sign-in provisions {@code DOMAIN\}{@code user} with the default licence type
 * (or links to such a user an administrator created beforehand); when the domain has an admin
 * group, every sign-in sets {@code is_admin} from it. Thread-safe.
 */
final class DomainUsers {

    private static final Logger log = LoggerFactory.getLogger(DomainUsers.class);

    private final UserService users;

    DomainUsers(UserService users) {
        this.users = requireNonNull(users, "users");
    }

    /**
     * @param displayName the directory's display name; empty = the login
     * @param isAdmin membership of the domain's admin group; empty = the directory does not decide
     * @throws AccessDeniedException (USER_BLOCKED) if the sessiond user is blocked
     */
    User signIn(DomainLogin login, String displayName, Optional<Boolean> isAdmin, Actor actor) {
        String name = login.login();
        User user = users.findByLogin(name).orElseGet(() -> provision(login, displayName, isAdmin, actor));
        if (user.isBlocked()) {
            throw AccessDeniedException.userBlocked();
        }
        if (isAdmin.isPresent() && isAdmin.get() != user.isAdmin()) {
            user = setAdmin(user, isAdmin.get(), actor);
        }
        return user;
    }

    private User provision(DomainLogin login, String displayName, Optional<Boolean> isAdmin, Actor actor) {
        String name = login.login();
        try {
            User created = users.create(new NewUser(name, "", cleanDisplayName(displayName),
                    isAdmin.orElse(false), false, Optional.empty()), actor);
            log.info("provisioned domain user {} (admin: {}, licence: {})", name, created.isAdmin(), created.licenseType());
            return created;
        } catch (AlreadyExistsException raced) {
            // Two first sign-ins at once: the other one created the user.
            return users.findByLogin(name).orElseThrow(() -> raced);
        }
    }

    private User setAdmin(User user, boolean isAdmin, Actor actor) {
        try {
            User updated = users.update(user.id(), UserChanges.NONE.withAdmin(isAdmin), actor);
            log.info("domain user {} is {} an administrator, as the directory's admin group says", user.login(),
                    isAdmin ? "now" : "no longer");
            return updated;
        } catch (InvalidArgumentException lastAdmin) {
            log.warn("domain user {} left the admin group but stays an administrator: {}", user.login(),
                    lastAdmin.getMessage());
            return user;
        }
    }

    /** Directory text as a display name: printable and not too long; empty = the login. */
    private static String cleanDisplayName(String displayName) {
        StringBuilder out = new StringBuilder();
        displayName.strip().codePoints()
                .filter(c -> !Character.isISOControl(c))
                .forEach(out::appendCodePoint);
        String clean = out.toString();
        if (clean.length() > UserService.MAX_DISPLAY_NAME) {
            int end = UserService.MAX_DISPLAY_NAME;
            if (Character.isHighSurrogate(clean.charAt(end - 1))) {
                end--;
            }
            clean = clean.substring(0, end);
        }
        return clean;
    }
}
