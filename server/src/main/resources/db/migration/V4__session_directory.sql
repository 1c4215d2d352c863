-- sessiond schema, version 4: the session directory (SPEC §5). Portable SQL for H2 and PostgreSQL.
--
-- The directory filters sessions by client host and by user login without regard to case and
-- pages through them in (create time, id) order. Neither database can index LOWER(client_host)
-- the same way (H2 has no expression indexes), so the lower-cased host is a column of its own,
-- written on insert like users.login_key.

ALTER TABLE sessions ADD COLUMN client_host_key VARCHAR(255);
UPDATE sessions SET client_host_key = LOWER(client_host);
ALTER TABLE sessions ALTER COLUMN client_host_key SET NOT NULL;

-- Each index ends in (create_time_ms, id), the directory's order, so that a page is a range
-- scan that stops after page_size rows: keyset paging costs the same on the last page as on
-- the first, and a filtered first page stays fast however many sessions are stored.
CREATE INDEX sessions_create_idx ON sessions (create_time_ms, id);
CREATE INDEX sessions_host_create_idx ON sessions (client_host_key, create_time_ms, id);
CREATE INDEX sessions_user_create_idx ON sessions (user_id, create_time_ms, id);
CREATE INDEX sessions_host_user_create_idx ON sessions (client_host_key, user_id, create_time_ms, id);
