-- sessiond schema, version 3: one reaper at a time across servers sharing the database.
-- A reaper batch locks this row with FOR UPDATE SKIP LOCKED: a second server finds it taken
-- and leaves the work to the first, without waiting.
CREATE TABLE reaper_lock (
    id  INTEGER NOT NULL PRIMARY KEY
);
INSERT INTO reaper_lock (id) VALUES (1);
