-- onedoor seed writes each batch's facts with the statistics' rollup trigger off and sums the
-- daily and monthly rollups once, when its run ends (case_stats_rebuild). Summed batch by batch,
-- as the trigger does for any write, a batch of 5,000 cases spread over two years touched about
-- as many rows of case_stats_daily as it had cases: 0.8 s of the batch's 1.1 s of facts, and the
-- largest part of the seed's time. seed_runs.rollup_pending marks a run whose batches are not
-- summed yet, also when it was cut short: the next run of any seed sums them.
alter table seed_runs add column rollup_pending boolean not null default false;

-- case_stats_rebuild sums case_stats_daily and case_stats_monthly again from case_facts, as the
-- rollup trigger (case_stats_apply) keeps them, and clears every run's rollup_pending. Writes of
-- facts wait for it: it locks case_facts before the rollups, in the order the trigger's writes
-- take them. The runs' rows first: a batch of another seed's run marks its row before it writes
-- its facts, so that locking the facts first would wait for that batch while it waits for the row.
create function case_stats_rebuild() returns void language plpgsql as $$
begin
    update seed_runs set rollup_pending = false where rollup_pending;
    lock table case_facts in share mode;
    truncate case_stats_daily, case_stats_monthly;
    insert into case_stats_daily
    select d.department, f.received_day, f.matter, f.received_by, f.received_level,
        count(*), count(*) filter (where f.accepted), count(*) filter (where f.first_visit),
        count(*) filter (where f.mediated), count(*) filter (where f.mediation_success),
        count(*) filter (where f.escalated), count(*) filter (where f.overdue),
        count(*) filter (where f.closed_at is not null), coalesce(sum(f.workdays), 0)
    from case_facts f
    cross join lateral unnest(array[''] || f.departments) as d (department)
    group by 1, 2, 3, 4, 5;
    insert into case_stats_monthly
    select department, date_trunc('month', day)::date, matter, received_by, received_level, sum(received), sum(accepted),
        sum(first_visit), sum(mediated), sum(mediation_success), sum(escalated), sum(overdue), sum(closed), sum(workdays)
    from case_stats_daily
    group by 1, 2, 3, 4, 5;
end;
$$;
