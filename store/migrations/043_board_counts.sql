-- The overdue boards' counts. A group's count was one range of tasks_board read to its end: in a
-- backlog nearly every open task is overdue, and the whole banner's board read all of them
-- (330,000 index entries at 6.3 million seeded cases: 100-350 ms of the board's time). Tasks
-- past a week's end stay past it, so the open running tasks are counted here by holder unit,
-- level, department and the week (from Monday, Asia/Shanghai) they are due in: a board sums the
-- rows of the weeks before this one and counts this week's overdue tasks from the index. (By
-- day, the banner's board summed 115,000 rows at 6.6 million cases, 50 ms.)
--
-- A row trigger keeps it (a row of every unit, level, department and week with an open running
-- task; '' for no unit or no department). Its WHEN clause keeps the mirror's rewrites of a task
-- that change none of the counted columns (most of them) from calling it. onedoor seed writes
-- with the triggers off and calls board_counts_rebuild at the end, as for the statistics.
create table board_counts (
    org_unit   text not null,
    level      text not null,
    department text not null,
    due_week    date not null,
    n          int  not null,
    primary key (org_unit, level, department, due_week)
);

create function board_week(due timestamptz) returns date language sql immutable parallel safe
    return date_trunc('week', due at time zone 'Asia/Shanghai')::date;

-- A task leaves its old row and joins its new one in one statement, in key order, so that
-- writers sharing rows lock them in the same order; a row left at 0 goes. (Two events that each
-- close a task in one row and open one in the other, in opposite directions, at once, can still
-- deadlock: PostgreSQL cancels one after deadlock_timeout and its mirror activity is retried.)
create function board_counts_apply() returns trigger language plpgsql as $$
declare
    counted_before boolean := tg_op <> 'INSERT' and old.status = 'open' and not old.suspended and old.due_at is not null;
    counted_now    boolean := tg_op <> 'DELETE' and new.status = 'open' and not new.suspended and new.due_at is not null;
begin
    insert into board_counts as b (org_unit, level, department, due_week, n)
    select x.org_unit, x.level, x.department, x.due_week, sum(x.d)
    from (
        select coalesce(old.org_unit, ''), old.level, coalesce(old.department, ''), board_week(old.due_at), -1 where counted_before
        union all
        select coalesce(new.org_unit, ''), new.level, coalesce(new.department, ''), board_week(new.due_at), 1 where counted_now
    ) x (org_unit, level, department, due_week, d)
    group by 1, 2, 3, 4
    having sum(x.d) <> 0
    order by 1, 2, 3, 4
    on conflict (org_unit, level, department, due_week) do update set n = b.n + excluded.n;
    if counted_before then
        delete from board_counts
        where (org_unit, level, department, due_week) = (coalesce(old.org_unit, ''), old.level, coalesce(old.department, ''), board_week(old.due_at))
            and n = 0;
    end if;
    return null;
end;
$$;

create trigger tasks_board_insert after insert on tasks
    for each row when (new.status = 'open' and not new.suspended and new.due_at is not null)
    execute function board_counts_apply();
create trigger tasks_board_update after update on tasks
    for each row when (
        (old.status = 'open' and not old.suspended and old.due_at is not null)
            is distinct from (new.status = 'open' and not new.suspended and new.due_at is not null)
        or (new.status = 'open' and not new.suspended and new.due_at is not null and (
            old.org_unit is distinct from new.org_unit or old.level is distinct from new.level
            or old.department is distinct from new.department or board_week(old.due_at) is distinct from board_week(new.due_at))))
    execute function board_counts_apply();
create trigger tasks_board_delete after delete on tasks
    for each row when (old.status = 'open' and not old.suspended and old.due_at is not null)
    execute function board_counts_apply();

-- board_counts_rebuild counts every open running task again. Writes of tasks wait for it.
create function board_counts_rebuild() returns void language plpgsql as $$
begin
    lock table tasks in share mode;
    delete from board_counts;
    insert into board_counts
    select coalesce(org_unit, ''), level, coalesce(department, ''), board_week(due_at), count(*)
    from tasks
    where status = 'open' and not suspended and due_at is not null
    group by 1, 2, 3, 4;
end;
$$;

select board_counts_rebuild();
analyze board_counts;
