-- The read model is written only from committed workflow events (activities.Mirror): case
-- numbers are reserved by the API before the workflow starts, and the audit log is append-only.

-- One number per case id: a retried registration gets its number again and burns none.
create table case_numbers (
    case_id uuid primary key,
    number  text not null unique
);
insert into case_numbers (case_id, number) select id, number from cases;

-- The audit log is append-only: the database refuses to change or remove an entry.
drop trigger case_facts_from_audit_update on audit_log;
create function audit_log_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'the audit log is append-only: % of event % of case % refused', tg_op, old.seq, old.case_id
        using errcode = 'insufficient_privilege';
end;
$$;
create trigger audit_log_append_only before update or delete on audit_log
    for each row execute function audit_log_append_only();
