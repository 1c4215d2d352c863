package dev.sessiond.client;

import dev.sessiond.proto.v1.ClientKind;
import dev.sessiond.proto.v1.Session;

/**
 * Questions about a {@link Session} (the {@code IsDesktopClient} / {@code IsWebClient} /
 * {@code IsNotWebOrDesktopClient} seed members) and the nested-session helper
 * ({@code CreateNestedSessionToken}). Stateless.
 */
public final class Sessions {

    private Sessions() {}

    /** Whether the session was opened by a desktop ("thick") client. */
    public static boolean isDesktopClient(Session session) {
        return session.getClientKind() == ClientKind.CLIENT_KIND_DESKTOP;
    }

    /** Whether the session was opened by a web client or web API. */
    public static boolean isWebClient(Session session) {
        return session.getClientKind() == ClientKind.CLIENT_KIND_WEB;
    }

    /** Whether the session belongs to neither: plug-ins, integrations, scripts, services. */
    public static boolean isNotWebOrDesktopClient(Session session) {
        return !isDesktopClient(session) && !isWebClient(session);
    }

    /**
     * Opens a nested session for the user {@code login} inside the session of
     * {@code parentToken} ({@code SessionServerService.CreateNestedSessionToken}): it inherits the
     * parent's deployment and cultures and is closed with it.
     *
     * @param client a client whose token belongs to a service account or administrator
     * @param parentToken the token of the parent session, e.g. {@link SessionContext#token()}
     * @throws SessionException as the RPC fails
     */
    public static OpenedSession createNestedSessionToken(SessiondClient client, String parentToken, String login,
            String applicationId) {
        return OpenedSession.of(client.server().createNestedSessionToken(parentToken, login, applicationId));
    }
}
