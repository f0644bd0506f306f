-- Several posts per person: a user's posts beyond their first (users.role, org_unit, department),
-- and the post each audited action was taken in.
create table user_posts (
    user_id    text not null references users (id) on delete cascade,
    n          int  not null,
    role       text not null check (role in ('admin', 'supervisor', 'clerk', 'department', 'grid', 'auditor')),
    org_unit   text references org_units (code),
    department text references departments (code),
    primary key (user_id, n)
);
alter table audit_log add column post text not null default '';
