-- Two seeds whose runs ended at once each called board_counts_rebuild: both deleted the counts
-- (neither saw the other's new rows, not yet committed) and both inserted them, and the second
-- failed on the primary key (TestSeedRunsOfTwoSeedsAtOnce, now and then). A rebuild now takes
-- board_counts for itself after the tasks, so that a second one waits for the first to commit
-- and then counts again over it. Boards still read the counts meanwhile; the triggers' writes
-- wait, as they already waited for the lock on tasks.
create or replace function board_counts_rebuild() returns void language plpgsql as $$
begin
    lock table tasks in share mode;
    lock table board_counts in exclusive mode;
    delete from board_counts;
    insert into board_counts
    select coalesce(org_unit, ''), level, coalesce(department, ''), board_week(due_at), count(*)
    from tasks
    where status = 'open' and not suspended and due_at is not null
    group by 1, 2, 3, 4;
end;
$$;
