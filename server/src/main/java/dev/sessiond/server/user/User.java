package dev.sessiond.server.user;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/** A user account. The password hash is deliberately not part of it. */
public record User(
        UUID id,
        String login,
        String displayName,
        boolean isAdmin,
        boolean isService,
        LicenseType licenseType,
        boolean isBlocked,
        Instant createTime,
        Instant updateTime) {

    public User {
        requireNonNull(id, "id");
        requireNonNull(login, "login");
        requireNonNull(displayName, "displayName");
        requireNonNull(licenseType, "licenseType");
        requireNonNull(createTime, "createTime");
        requireNonNull(updateTime, "updateTime");
    }
}
