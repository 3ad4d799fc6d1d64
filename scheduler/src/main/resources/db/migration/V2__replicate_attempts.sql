-- A worker whose replicate was LOST (it never counted) may be given the task again, under a new
-- replicate id: (task_id, worker) is no longer unique. What stays true, and is kept here: a worker
-- holds at most one live (ASSIGNED or COMMITTED) replica of a task. SQLite cannot drop a constraint,
-- so the table is rebuilt; the same statements run on PostgreSQL.
CREATE TABLE replicates_v2 (
    id         TEXT   PRIMARY KEY,
    task_id    TEXT   NOT NULL,
    deal_id    TEXT   NOT NULL,
    worker     TEXT   NOT NULL,
    status     TEXT   NOT NULL,
    commitment TEXT,
    signature  TEXT,
    digest     TEXT,
    cause      TEXT,
    message    TEXT,
    since      BIGINT NOT NULL
);
INSERT INTO replicates_v2 (id, task_id, deal_id, worker, status, commitment, signature, digest, cause, message, since)
    SELECT id, task_id, deal_id, worker, status, commitment, signature, digest, cause, message, since FROM replicates;
DROP TABLE replicates;
ALTER TABLE replicates_v2 RENAME TO replicates;
CREATE INDEX replicates_task ON replicates (task_id);
CREATE INDEX replicates_status ON replicates (status);
CREATE UNIQUE INDEX replicates_live_task_worker ON replicates (task_id, worker)
    WHERE status IN ('ASSIGNED', 'COMMITTED');
