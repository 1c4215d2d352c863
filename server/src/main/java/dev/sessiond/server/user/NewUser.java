package dev.sessiond.server.user;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What an administrator asks for when creating a user.
 *
 * @param password empty = the user cannot log in with a password
 * @param displayName empty = the login
 * @param licenseType empty = the server's default licence type
 */
public record NewUser(
        String login,
        String password,
        String displayName,
        boolean isAdmin,
        boolean isService,
        Optional<LicenseType> licenseType) {

    public NewUser {
        requireNonNull(login, "login");
        requireNonNull(password, "password");
        requireNonNull(displayName, "displayName");
        requireNonNull(licenseType, "licenseType");
    }

    @Override
    public String toString() {
        return "NewUser[login=" + login + ", isAdmin=" + isAdmin + ", isService=" + isService + "]";
    }
}
