-- The text search finds a word in the statement of the matter too: the facts of a petition, a
-- mediation or a legal-aid request, a consultation's question, a grid event's description (the
-- first of them a case has). A statement runs to 5,000 characters. Its grams in the index of
-- cases (036_case_grams.sql) would be computed again, and thousands of index entries written, at
-- every write of the case, which is every event the mirror writes; here a table of its own holds
-- it, written by a trigger only when the statement changed (at registration, mostly), with an
-- index of its grams beside.

-- The statement of a case's form data: what the search reads beside the subject and the name.
create or replace function statement_of(data jsonb) returns text
language sql immutable strict parallel safe as $$
    select coalesce(nullif(data ->> 'facts', ''), nullif(data ->> 'question', ''), nullif(data ->> 'description', ''))
$$;

-- The single characters and overlapping two-character grams of a lower-cased text, as
-- case_grams gives them for the subject and the name, in the same order. In one pass over the
-- characters: case_grams' substr at each place walks the text from its start (UTF-8), 200 ms for
-- 5,000 characters, and so did a generate_series of substr (550 ms); this takes 17 ms, 0.9 ms
-- for 500.
create or replace function text_grams(s text) returns text[]
language sql immutable strict parallel safe as $$
    select array(select ch || coalesce(lead(ch) over (order by n), '')
                 from unnest(string_to_array(lower(s), null)) with ordinality as u (ch, n))
        || string_to_array(lower(s), null)
$$;

create table case_statements (
    case_id uuid primary key references cases (id) on delete cascade,
    body    text not null
);
create index case_statements_grams on case_statements using gin (text_grams(body));

-- A new case's statement, and a changed one (a clerk correcting the facts); none when the form
-- no longer has one. The mirror rewrites the case's data at every event: the triggers' conditions
-- leave the table alone when the statement is the same, so that most events write nothing here.
create or replace function case_statement_write() returns trigger
language plpgsql as $$
declare
    body text := statement_of(new.data);
begin
    if body is null then
        delete from case_statements where case_id = new.id;
    else
        insert into case_statements (case_id, body) values (new.id, body)
        on conflict (case_id) do update set body = excluded.body;
    end if;
    return null;
end;
$$;
create trigger cases_statement_insert after insert on cases
    for each row when (statement_of(new.data) is not null) execute function case_statement_write();
create trigger cases_statement_update after update of data on cases
    for each row when (statement_of(new.data) is distinct from statement_of(old.data)) execute function case_statement_write();

-- The cases registered before.
insert into case_statements (case_id, body)
select id, statement_of(data) from cases where statement_of(data) is not null;

-- As for the cases' grams: which grams are common the search reads from the index's statistics
-- (store/grams.go), to read a common word's cases newest first instead of through the index.
alter index case_statements_grams alter column 1 set statistics 1000;
analyze case_statements;
