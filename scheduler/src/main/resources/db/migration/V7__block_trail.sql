-- The hashes of the last blocks the deal scan processed (a bounded window, see BlockTrail): a restarted scheduler
-- compares them with the chain to find a reorganisation that removed blocks it had taken deals from.
CREATE TABLE block_trail (
    number BIGINT PRIMARY KEY,
    hash   TEXT   NOT NULL
);
