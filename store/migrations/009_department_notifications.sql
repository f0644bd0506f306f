-- Notifications to a department's staff (a task it holds is due soon, overdue or summoned), beside
-- those to an org unit's supervisors.
alter table notifications alter column org_unit drop not null;
alter table notifications add column department text references departments (code);
alter table notifications add constraint notifications_recipient check (org_unit is not null or department is not null);
create index notifications_department on notifications (department, at desc) where department is not null;
