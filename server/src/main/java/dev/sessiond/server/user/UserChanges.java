package dev.sessiond.server.user;

import java.util.Optional;

/** The fields an update sets; empty fields stay as they are. */
public record UserChanges(
        Optional<String> displayName,
        Optional<Boolean> isAdmin,
        Optional<Boolean> isService,
        Optional<LicenseType> licenseType,
        Optional<Boolean> isBlocked) {

    public static final UserChanges NONE =
            new UserChanges(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    public UserChanges withDisplayName(String value) {
        return new UserChanges(Optional.of(value), isAdmin, isService, licenseType, isBlocked);
    }

    public UserChanges withAdmin(boolean value) {
        return new UserChanges(displayName, Optional.of(value), isService, licenseType, isBlocked);
    }

    public UserChanges withService(boolean value) {
        return new UserChanges(displayName, isAdmin, Optional.of(value), licenseType, isBlocked);
    }

    public UserChanges withLicenseType(LicenseType value) {
        return new UserChanges(displayName, isAdmin, isService, Optional.of(value), isBlocked);
    }

    public UserChanges withBlocked(boolean value) {
        return new UserChanges(displayName, isAdmin, isService, licenseType, Optional.of(value));
    }

    User applyTo(User user, java.time.Instant now) {
        return new User(user.id(), user.login(),
                displayName.orElse(user.displayName()),
                isAdmin.orElse(user.isAdmin()),
                isService.orElse(user.isService()),
                licenseType.orElse(user.licenseType()),
                isBlocked.orElse(user.isBlocked()),
                user.createTime(), now);
    }
}
