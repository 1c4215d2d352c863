package dev.sessiond.server.api;

import dev.sessiond.proto.v1.LicenseType;
import dev.sessiond.proto.v1.User;
import dev.sessiond.server.error.InvalidArgumentException;
import java.util.Optional;

/** Users between the domain and the contract. */
final class UserMapper {

    private UserMapper() {}

    static User toProto(dev.sessiond.server.user.User user) {
        return User.newBuilder()
                .setId(user.id().toString())
                .setLogin(user.login())
                .setDisplayName(user.displayName())
                .setIsAdmin(user.isAdmin())
                .setIsService(user.isService())
                .setLicenseType(toProto(user.licenseType()))
                .setIsBlocked(user.isBlocked())
                .setCreateTime(Protos.timestamp(user.createTime()))
                .setUpdateTime(Protos.timestamp(user.updateTime()))
                .build();
    }

    static LicenseType toProto(dev.sessiond.server.user.LicenseType type) {
        return switch (type) {
            case PERSONAL -> LicenseType.LICENSE_TYPE_PERSONAL;
            case CONCURRENT -> LicenseType.LICENSE_TYPE_CONCURRENT;
        };
    }

    /** Empty for UNSPECIFIED; INVALID_ARGUMENT for values this server does not know. */
    static Optional<dev.sessiond.server.user.LicenseType> fromProto(String field, LicenseType type) {
        return switch (type) {
            case LICENSE_TYPE_UNSPECIFIED -> Optional.empty();
            case LICENSE_TYPE_PERSONAL -> Optional.of(dev.sessiond.server.user.LicenseType.PERSONAL);
            case LICENSE_TYPE_CONCURRENT -> Optional.of(dev.sessiond.server.user.LicenseType.CONCURRENT);
            case UNRECOGNIZED -> throw new InvalidArgumentException(field,
                    "unknown value (expected: LICENSE_TYPE_PERSONAL or LICENSE_TYPE_CONCURRENT)");
        };
    }
}
