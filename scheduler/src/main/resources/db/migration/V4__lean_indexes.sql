-- Every saved change rewrote the status indexes, and no query used them: the live-set queries filter with
-- NOT IN, which a plain status index does not serve. Group commits write whole pages to the WAL, so each index a
-- change touches costs a page per change. The live tasks get a partial index instead: it holds only unfinished
-- tasks, in deal order, so a restart reads them without scanning every task ever run, and it stays small.
DROP INDEX tasks_status;
DROP INDEX replicates_status;
CREATE INDEX tasks_live ON tasks (deal_id, idx) WHERE status NOT IN ('FINALIZED', 'CLAIMED');
