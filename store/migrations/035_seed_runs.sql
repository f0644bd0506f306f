-- onedoor seed: how far each seed's run got and the clock it drew its dates from, so that a run
-- cut short (Ctrl-C, a crash: each batch commits whole) goes on where it stopped and writes the
-- cases an uninterrupted run would have, and runs of other seeds never take the same numbers.
create table seed_runs (
    seed    bigint      primary key,
    now     timestamptz not null,
    written int         not null default 0
);
