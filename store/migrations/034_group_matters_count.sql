-- 集体访 in the statistics: the few cases that several residents brought together, more than
-- one named on the case or five people or more on its form, counted per period like the
-- repeated visits of migration 028 (store.groupMatters spells the same predicate).
create index cases_group_matters on cases (received_at)
    where residents <> '[]'::jsonb or data->'people' >= '5'::jsonb;
