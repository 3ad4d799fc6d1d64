-- Which chain and contracts this state belongs to (ChainBinding): checked at every start, so state saved on one
-- chain is never resumed on another that has the same chain id and addresses (a restarted anvil). At most one row.
CREATE TABLE chain_binding (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    chain_id BIGINT  NOT NULL,
    genesis  TEXT    NOT NULL,
    hub      TEXT    NOT NULL,
    bound_at BIGINT  NOT NULL
);
