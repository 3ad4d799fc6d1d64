-- The scheduler's persistent state. Portable across SQLite (>= 3.24) and PostgreSQL: hex ids and
-- addresses are TEXT, numbers BIGINT, enums their TEXT name, JSON documents TEXT.
-- Never edit an applied migration: add V2__..., V3__... instead.

-- The next chain block to scan for deals. Exactly one row (id = 1).
CREATE TABLE cursor (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    next_block BIGINT  NOT NULL
);
INSERT INTO cursor (id, next_block) VALUES (1, 0);

-- Deals being driven: the whole DealView as JSON (BigInteger values as decimal strings).
CREATE TABLE deals (
    deal_id    TEXT   PRIMARY KEY,
    json       TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE tasks (
    task_id TEXT   PRIMARY KEY,
    deal_id TEXT   NOT NULL,
    idx     BIGINT NOT NULL,
    status  TEXT   NOT NULL,
    digest  TEXT,
    cause   TEXT,
    message TEXT,
    since   BIGINT NOT NULL,
    batch   TEXT
);
CREATE INDEX tasks_status ON tasks (status);
CREATE INDEX tasks_deal ON tasks (deal_id);

-- One run of a task by one worker; a worker never gets two replicas of the same task.
-- The UNIQUE (task_id, worker) index also serves lookups by task_id (its leading column).
CREATE TABLE replicates (
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
    since      BIGINT NOT NULL,
    CONSTRAINT replicates_task_worker UNIQUE (task_id, worker)
);
CREATE INDEX replicates_status ON replicates (status);

CREATE TABLE workers (
    address    TEXT    PRIMARY KEY,
    slots      INTEGER NOT NULL,
    last_seen  BIGINT  NOT NULL,
    last_nonce BIGINT  NOT NULL
);
