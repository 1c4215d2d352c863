package dev.sessiond.server.session;

import static java.util.Objects.requireNonNull;

import dev.sessiond.server.user.LicenseType;
import dev.sessiond.server.user.User;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A session as stored, with its user as currently stored.
 *
 * @param isActive whether the session holds its licence seat (see {@code countsSeat})
 * @param countsSeat whether the session takes a seat from the concurrent pool while active
 *     (concurrent licence, not a service account, not nested); fixed when it is opened
 * @param client the opening call's client (cultures as the opening call sent them)
 * @param lastActivity the latest activity this server knows of
 * @param lifetimeEnd create time + maximum lifetime
 */
public record Session(
        UUID id,
        User user,
        Optional<UUID> parentId,
        String applicationId,
        ClientKind clientKind,
        SessionType type,
        LicenseType licenseType,
        boolean isActive,
        boolean countsSeat,
        ClientContext client,
        String instanceName,
        String serverCode,
        Instant createTime,
        Instant lastActivity,
        Instant lifetimeEnd) {

    public Session {
        requireNonNull(id, "id");
        requireNonNull(user, "user");
        requireNonNull(parentId, "parentId");
        requireNonNull(applicationId, "applicationId");
        requireNonNull(clientKind, "clientKind");
        requireNonNull(type, "type");
        requireNonNull(licenseType, "licenseType");
        requireNonNull(client, "client");
        requireNonNull(instanceName, "instanceName");
        requireNonNull(serverCode, "serverCode");
        requireNonNull(createTime, "createTime");
        requireNonNull(lastActivity, "lastActivity");
        requireNonNull(lifetimeEnd, "lifetimeEnd");
    }

    public Session withLastActivity(Instant time) {
        return new Session(id, user, parentId, applicationId, clientKind, type, licenseType, isActive, countsSeat,
                client, instanceName, serverCode, createTime, time, lifetimeEnd);
    }

    public Session withClient(ClientContext newClient) {
        return new Session(id, user, parentId, applicationId, clientKind, type, licenseType, isActive, countsSeat,
                newClient, instanceName, serverCode, createTime, lastActivity, lifetimeEnd);
    }

    public Session withActive(boolean active) {
        return new Session(id, user, parentId, applicationId, clientKind, type, licenseType, active, countsSeat,
                client, instanceName, serverCode, createTime, lastActivity, lifetimeEnd);
    }
}
