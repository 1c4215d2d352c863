package dev.sessiond.server.session;

import static java.util.Objects.requireNonNull;

import dev.sessiond.server.audit.Actor;
import dev.sessiond.server.audit.AuditEvent;
import dev.sessiond.server.audit.AuditLog;
import dev.sessiond.server.audit.EventKind;
import dev.sessiond.server.error.AuthenticationException;
import dev.sessiond.server.error.Reason;
import dev.sessiond.server.error.SessionStateException;
import dev.sessiond.server.license.SeatPool;
import dev.sessiond.server.license.SeatWindow;
import dev.sessiond.server.session.SessionDao.StoredSession;
import dev.sessiond.server.store.StoreErrors;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Deactivating and activating sessions (SPEC §4): a deactivated session keeps existing but
 * gives up its seat; using it again takes a seat back, or moves the seat from the user's own
 * other session, so that a user's seat follows them from machine to machine. Every change
 * runs with the user's row and the pool locked and writes one audit event. Thread-safe.
 */
final class SessionActivation {

    private final Jdbi jdbi;
    private final SeatPool seats;
    private final AuditLog audit;
    private final SessionCache cache;

    SessionActivation(Jdbi jdbi, SeatPool seats, AuditLog audit, SessionCache cache) {
        this.jdbi = requireNonNull(jdbi, "jdbi");
        this.seats = requireNonNull(seats, "seats");
        this.audit = requireNonNull(audit, "audit");
        this.cache = requireNonNull(cache, "cache");
    }

    /**
     * Sets the session's flag. Activating takes a seat or fails with LICENSE_LIMIT_REACHED.
     *
     * @return whether the flag changed for an open session
     */
    boolean setActive(Session session, boolean active, Actor actor, SeatWindow window) {
        return StoreErrors.guard(() -> jdbi.inTransaction(h -> {
            SessionDao dao = h.attach(SessionDao.class);
            dao.lockUser(session.user().id());
            Optional<StoredSession> current = SessionDao.readById(h, session.id());
            if (current.isEmpty() || current.get().session().isActive() == active) {
                return false;
            }
            if (active && limited(session)) {
                seats.lock(h);
                seats.requireSeat(h, session.user().id(), session.client().clientAddress(),
                        Optional.of(session.id()), window);
            }
            change(h, current.get().session(), active, actor, window, "");
            return true;
        }));
    }

    /**
     * Activates a deactivated session that is being used: with a free (or shared) seat, or by
     * deactivating the user's own other session that holds one.
     *
     * @throws SessionStateException CANT_REACTIVATE_SESSION when neither is possible
     */
    Session reactivate(Session session, SeatWindow window) {
        return StoreErrors.guard(() -> jdbi.inTransaction(h -> {
            SessionDao dao = h.attach(SessionDao.class);
            dao.lockUser(session.user().id());
            Session current = SessionDao.readById(h, session.id())
                    .orElseThrow(() -> new AuthenticationException(Reason.SESSION_NOT_FOUND,
                            "the session was closed or never existed"))
                    .session();
            if (current.isActive()) {
                return session.withActive(true); // another call reactivated it first
            }
            if (limited(current)) {
                seats.lock(h);
                UUID userId = current.user().id();
                String address = current.client().clientAddress();
                if (!seats.hasSeat(h, userId, address, Optional.of(current.id()), window)) {
                    UUID other = seats.ownOtherSeat(h, userId, current.id(), window)
                            .orElseThrow(() -> new SessionStateException("the session was deactivated and no "
                                    + "licence is free to reactivate it (the user holds no other seat to move)"));
                    Session moved = SessionDao.readById(h, other).orElseThrow().session();
                    change(h, moved, false, Actor.SERVER, window, "seat moved to session " + current.id());
                    if (!seats.hasSeat(h, userId, address, Optional.of(current.id()), window)) {
                        throw new SessionStateException(
                                "the session was deactivated and no licence is free to reactivate it");
                    }
                }
            }
            change(h, current, true, Actor.SERVER, window, "reactivated on use");
            return session.withActive(true);
        }));
    }

    private boolean limited(Session session) {
        return session.countsSeat() && seats.policy().concurrentLicenses().isPresent();
    }

    private void change(Handle h, Session session, boolean active, Actor actor, SeatWindow window, String detail) {
        h.attach(SessionDao.class).setActive(session.id(), active);
        cache.sessionsChanged(h, List.of(session.id()));
        EventKind kind = active ? EventKind.ACTIVATED : EventKind.DEACTIVATED;
        audit.record(h, AuditEvent.ofSession(window.now(), kind, session.id(), session.user().id(),
                session.user().login(), actor).withDetail(detail));
        if (active && limited(session)) {
            seats.recordUsage(h, seats.seatsInUse(h, window));
        }
    }
}
