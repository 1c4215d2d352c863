package dev.sessiond.server.session;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * Classifies application ids as desktop, web or other clients (SPEC §3).
 *
 * @param desktopApplications application ids of desktop clients
 * @param webApplications application ids of web clients
 */
public record ClientKinds(Set<String> desktopApplications, Set<String> webApplications) {

    public ClientKinds {
        desktopApplications = Set.copyOf(requireNonNull(desktopApplications, "desktopApplications"));
        webApplications = Set.copyOf(requireNonNull(webApplications, "webApplications"));
    }

    public ClientKind of(String applicationId) {
        if (desktopApplications.contains(applicationId)) {
            return ClientKind.DESKTOP;
        }
        if (webApplications.contains(applicationId)) {
            return ClientKind.WEB;
        }
        return ClientKind.OTHER;
    }
}
