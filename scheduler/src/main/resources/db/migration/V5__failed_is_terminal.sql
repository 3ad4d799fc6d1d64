-- A FAILED task is terminal: nothing the scheduler does moves it on (the requester's refund is claimed on-chain,
-- which the scheduler does not watch), so it leaves the live set. The partial index follows the live query's
-- filter, which it must imply to serve it. No row was ever CLAIMED: nothing wrote that status.
DROP INDEX tasks_live;
CREATE INDEX tasks_live ON tasks (deal_id, idx) WHERE status NOT IN ('FINALIZED', 'FAILED');
