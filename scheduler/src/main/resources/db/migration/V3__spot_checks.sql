-- What the pool verified about each worker (sabotage tolerance): known-answer checks passed and times
-- caught lying. Off-chain and per pool: the chain keeps the reputation score.
CREATE TABLE spot_checks (
    worker TEXT   PRIMARY KEY,
    passed BIGINT NOT NULL,
    failed BIGINT NOT NULL
);
