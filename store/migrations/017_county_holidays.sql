-- A county's own calendar additions: a regional holiday applies to every county, or only to the
-- one whose government unit it names.
alter table regional_holidays add column county text references org_units (code);
