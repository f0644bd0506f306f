-- One deployment for many counties: org units above the chain (the city and the province that
-- run the platform), and each county's prefix of its case numbers on its government unit.
alter table org_units drop constraint org_units_level_check;
alter table org_units add constraint org_units_level_check
    check (level in ('group', 'village', 'town', 'banner', 'government', 'city', 'province'));
alter table org_units add column number_prefix text unique
    check (number_prefix is null or (number_prefix ~ '^[A-Z][A-Z0-9]{1,7}$' and level = 'government'));
-- A single-county deployment numbered its cases WS-…: its government unit keeps that prefix.
update org_units set number_prefix = 'WS'
where level = 'government' and (select count(*) from org_units where level = 'government') = 1;
