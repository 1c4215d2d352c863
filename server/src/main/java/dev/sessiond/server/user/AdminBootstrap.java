package dev.sessiond.server.user;

import dev.sessiond.server.audit.Actor;
import dev.sessiond.server.error.AlreadyExistsException;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the first administrator on a store that holds no user yet (SPEC §6): with the
 * configured password, or with a generated one printed once to standard error (never logged).
 */
public final class AdminBootstrap {

    private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private AdminBootstrap() {}

    /** @return the created administrator, or empty when the store already had users */
    public static Optional<User> run(UserService users, String login, Optional<String> password, PrintStream stderr) {
        if (!users.isEmpty()) {
            return Optional.empty();
        }
        String actual = password.orElseGet(AdminBootstrap::generate);
        User admin;
        try {
            admin = users.create(new NewUser(login, actual, login, true, false, Optional.of(LicenseType.PERSONAL)),
                    Actor.SERVER);
        } catch (AlreadyExistsException raced) {
            return Optional.empty(); // another replica bootstrapped the same store first
        }
        log.info("created the first administrator '{}'", login);
        if (password.isEmpty()) {
            stderr.println("sessiond: created administrator '" + login + "' with generated password: " + actual);
            stderr.println("sessiond: this password is shown only once; change it with UserAdminService.SetPassword.");
        }
        return Optional.of(admin);
    }

    private static String generate() {
        SecureRandom random = new SecureRandom();
        StringBuilder out = new StringBuilder(20);
        for (int i = 0; i < 20; i++) {
            out.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }
}
