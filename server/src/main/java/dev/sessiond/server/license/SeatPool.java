package dev.sessiond.server.license;

import static java.util.Objects.requireNonNull;

import dev.sessiond.server.error.LimitExceededException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * The concurrent licence pool (SPEC §4). A seat is held by an active session of a
 * concurrent-licence user (not a service account, not nested); sessions of one user from one
 * client address share a seat. Every decision that takes a seat runs in the caller's
 * transaction after {@link #lock}, which serialises seat-taking transactions on one database
 * row, so the limit holds exactly however many calls race, on one server or several sharing
 * the database. Stateless and thread-safe.
 */
public final class SeatPool {

    /** Stands for "no session to exclude" in queries that take one. */
    private static final UUID NONE = new UUID(0, 0);

    private final LicensePolicy policy;

    public SeatPool(LicensePolicy policy) {
        this.policy = requireNonNull(policy, "policy");
    }

    public LicensePolicy policy() {
        return policy;
    }

    /** Takes the pool lock for the rest of the caller's transaction. */
    public void lock(Handle h) {
        h.attach(SeatDao.class).lockPool();
    }

    /**
     * Checks that a session of {@code userId} from {@code address} may hold a seat: it shares
     * one with another of the user's sessions from that address, or a seat is free. Call with
     * the pool lock held.
     *
     * @param self the session that wants the seat, if it exists already
     * @return the number of seats in use once the session holds its seat
     * @throws LimitExceededException LICENSE_LIMIT_REACHED, naming a session to deactivate when
     *     {@link #candidateToDeactivate} finds one
     */
    public int requireSeat(Handle h, UUID userId, String address, Optional<UUID> self, SeatWindow w) {
        int limit = policy.concurrentLicenses().orElseThrow();
        SeatDao dao = h.attach(SeatDao.class);
        int inUse = seatsInUse(h, w);
        if (dao.sharedSeats(userId, address, self.orElse(NONE), ms(w.now()), ms(w.idleCutoff()),
                ms(w.desktopIdleCutoff())) > 0) {
            return inUse;
        }
        if (inUse < limit) {
            return inUse + 1;
        }
        throw LimitExceededException.licenseLimit(
                "all " + limit + " concurrent licences are in use",
                candidateToDeactivate(h, userId, self, w).map(UUID::toString));
    }

    /** Whether a session of {@code userId} from {@code address} can hold a seat now (lock held). */
    public boolean hasSeat(Handle h, UUID userId, String address, Optional<UUID> self, SeatWindow w) {
        if (policy.concurrentLicenses().isEmpty()) {
            return true;
        }
        SeatDao dao = h.attach(SeatDao.class);
        if (dao.sharedSeats(userId, address, self.orElse(NONE), ms(w.now()), ms(w.idleCutoff()),
                ms(w.desktopIdleCutoff())) > 0) {
            return true;
        }
        return seatsInUse(h, w) < policy.concurrentLicenses().get();
    }

    /**
     * A session that could be deactivated to free a seat for {@code userId}: the user's own
     * active concurrent session with the oldest activity; failing that, when a reclaim idle time
     * is configured, any active concurrent session idle for longer than it.
     */
    public Optional<UUID> candidateToDeactivate(Handle h, UUID userId, Optional<UUID> self, SeatWindow w) {
        SeatDao dao = h.attach(SeatDao.class);
        Optional<UUID> own = dao.oldestOwnSeat(userId, self.orElse(NONE), ms(w.now()), ms(w.idleCutoff()),
                ms(w.desktopIdleCutoff()));
        if (own.isPresent() || policy.reclaimIdle().isEmpty()) {
            return own;
        }
        long idleBefore = ms(w.now().minus(policy.reclaimIdle().get()));
        return dao.oldestIdleSeat(idleBefore, ms(w.now()), ms(w.idleCutoff()), ms(w.desktopIdleCutoff()));
    }

    /** The user's own other seat-holding session with the oldest activity. */
    public Optional<UUID> ownOtherSeat(Handle h, UUID userId, UUID self, SeatWindow w) {
        return h.attach(SeatDao.class).oldestOwnSeat(userId, self, ms(w.now()), ms(w.idleCutoff()),
                ms(w.desktopIdleCutoff()));
    }

    /** How many seats are held now. */
    public int seatsInUse(Handle h, SeatWindow w) {
        return h.attach(SeatDao.class).seatsInUse(ms(w.now()), ms(w.idleCutoff()), ms(w.desktopIdleCutoff()));
    }

    /** The most seats ever held at once. */
    public int highWater(Handle h) {
        return h.attach(SeatDao.class).highWater();
    }

    /** Records {@code inUse} as the high-water mark if it is a new maximum. */
    public void recordUsage(Handle h, int inUse) {
        h.attach(SeatDao.class).raiseHighWater(inUse);
    }

    private static long ms(Instant t) {
        return t.toEpochMilli();
    }
}
