package dev.sessiond.server.api;

import dev.sessiond.proto.v1.ClientKind;
import dev.sessiond.proto.v1.Session;
import dev.sessiond.proto.v1.SessionType;
import dev.sessiond.server.error.InvalidArgumentException;
import dev.sessiond.server.session.ClientContext;
import java.time.Instant;
import java.util.Optional;

/** Sessions between the domain and the contract. */
final class SessionMapper {

    private SessionMapper() {}

    /** The session as the contract shows it; {@code expireTime} is computed by the session policy. */
    static Session toProto(dev.sessiond.server.session.Session session, Instant expireTime) {
        ClientContext client = session.client();
        Session.Builder out = Session.newBuilder()
                .setId(session.id().toString())
                .setUser(UserMapper.toProto(session.user()))
                .setApplicationId(session.applicationId())
                .setClientKind(toProto(session.clientKind()))
                .setType(toProto(session.type()))
                .setClientCulture(client.culture())
                .setClientUiCulture(client.uiCulture())
                .setInstanceName(session.instanceName())
                .setServerCode(session.serverCode())
                .setLicenseType(UserMapper.toProto(session.licenseType()))
                .setIsActive(session.isActive())
                .setClientHost(client.clientHost())
                .setClientAddress(client.clientAddress())
                .setTransport(client.transport())
                .setCreateTime(Protos.timestamp(session.createTime()))
                .setLastActivityTime(Protos.timestamp(session.lastActivity()))
                .setExpireTime(Protos.timestamp(expireTime))
                .setParentSessionId(session.parentId().map(Object::toString).orElse(""));
        client.utcOffset().ifPresent(offset -> out.setClientUtcOffset(Protos.offset(offset)));
        return out.build();
    }

    static ClientKind toProto(dev.sessiond.server.session.ClientKind kind) {
        return switch (kind) {
            case DESKTOP -> ClientKind.CLIENT_KIND_DESKTOP;
            case WEB -> ClientKind.CLIENT_KIND_WEB;
            case OTHER -> ClientKind.CLIENT_KIND_OTHER;
        };
    }

    static SessionType toProto(dev.sessiond.server.session.SessionType type) {
        return switch (type) {
            case CLIENT -> SessionType.SESSION_TYPE_CLIENT;
            case SERVER -> SessionType.SESSION_TYPE_SERVER;
            case SERVICE -> SessionType.SESSION_TYPE_SERVICE;
        };
    }

    /** Empty for UNSPECIFIED; INVALID_ARGUMENT for values this server does not know. */
    static Optional<dev.sessiond.server.session.SessionType> fromProto(String field, SessionType type) {
        return switch (type) {
            case SESSION_TYPE_UNSPECIFIED -> Optional.empty();
            case SESSION_TYPE_CLIENT -> Optional.of(dev.sessiond.server.session.SessionType.CLIENT);
            case SESSION_TYPE_SERVER -> Optional.of(dev.sessiond.server.session.SessionType.SERVER);
            case SESSION_TYPE_SERVICE -> Optional.of(dev.sessiond.server.session.SessionType.SERVICE);
            case UNRECOGNIZED -> throw new InvalidArgumentException(field, "unknown value (expected: a SessionType)");
        };
    }
}
