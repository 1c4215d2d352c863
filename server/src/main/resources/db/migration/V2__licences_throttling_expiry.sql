-- sessiond schema, version 2: licence seats, login throttling, expiry and audit queries.

-- Whether the session takes a seat from the concurrent pool while it is active: fixed when
-- the session is opened (concurrent licence, not a service account, not nested).
ALTER TABLE sessions ADD COLUMN counts_seat BOOLEAN DEFAULT FALSE NOT NULL;
UPDATE sessions SET counts_seat = TRUE
    WHERE license_type = 'CONCURRENT' AND session_type <> 'SERVICE' AND parent_session_id IS NULL;

CREATE INDEX sessions_seat_idx ON sessions (counts_seat, is_active, user_id);
CREATE INDEX sessions_activity_idx ON sessions (last_activity_ms);
CREATE INDEX sessions_lifetime_idx ON sessions (lifetime_end_ms);

-- One row, locked (SELECT ... FOR UPDATE) by every transaction that takes a seat, so that the
-- pool's limit holds exactly under concurrency, on one server or many.
CREATE TABLE license_pool (
    id           INTEGER  NOT NULL PRIMARY KEY,
    high_water   INTEGER  NOT NULL
);
INSERT INTO license_pool (id, high_water) VALUES (1, 0);

-- Failed logins in a row, per lower-cased login (known or not).
CREATE TABLE login_throttle (
    login_key        VARCHAR(256)  NOT NULL PRIMARY KEY,
    failures         INTEGER       NOT NULL,
    locked_until_ms  BIGINT        NOT NULL,
    updated_ms       BIGINT        NOT NULL
);

CREATE INDEX session_events_user_idx ON session_events (user_id, id);
CREATE INDEX session_events_session_idx ON session_events (session_id, id);
CREATE INDEX session_events_kind_idx ON session_events (kind, id);
