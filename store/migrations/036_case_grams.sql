-- Text search served by an index for a query of any length. Most Chinese search words are two
-- characters (草场, 工资, 土地) and a surname is one: pg_trgm cannot serve either, so they were
-- answered by reading the cases newest first until a page was full, which for a rare word is
-- every case. case_grams is the single characters and overlapping two-character grams
-- of a case's lower-cased subject and resident name, and a GIN index holds it for every case.
-- The facts are left out: a petition's run to 5,000 characters, whose grams took 68 ms to compute
-- and thousands of index entries at every write of the case (each event the mirror writes), not
-- only when the facts change; they want a table of their own, written when they change. Every two-character gram of a query (its character, when it
-- has one) is in the grams of each case whose text contains it, so the search asks the index
-- for the cases with one gram of the query (the rarest, by the index's statistics) and then
-- checks those for the query itself (store/query.go).
--
-- The grams are an index on an expression, not a stored column: the database computes them on
-- every write of a case (the mirror's, the seed's COPY) and the table's rows stay their size (a
-- stored column of them made the table 2.4 times larger). No gram spans two fields: a query
-- matches inside one field, never across subject and name.
--
-- Building the index reads every case and holds off writes to cases meanwhile (about 10 minutes
-- for 10M cases: docs/deployment.md); a database administrator may build it beforehand with
-- create index concurrently, after creating the function, and this migration keeps that one.

-- The grams come with repeats, which the index drops: removing them here took three times as long.
create or replace function case_grams(variadic texts text[]) returns text[]
language plpgsql immutable strict parallel safe as $$
declare
    s text;
    grams text[] := '{}';
begin
    foreach s in array texts loop
        continue when s is null;
        s := lower(s);
        -- The two characters at each place (the last place's one character), then each character.
        for i in 1 .. length(s) loop
            grams := grams || substr(s, i, 2);
        end loop;
        grams := grams || string_to_array(s, null);
    end loop;
    return grams;
end;
$$;
create index if not exists cases_grams on cases using gin (case_grams(subject, resident_name));

-- The case number is ASCII, and a query of three characters or more finds it through trigrams
-- of the number alone; subject and name are searched by their grams, so the trigram index over
-- number, subject and name and the prefix index of names go.
create index if not exists cases_number_trgm on cases using gin (number gin_trgm_ops);
drop index if exists cases_text;
drop index if exists cases_resident_prefix;

-- The planner knows how many cases have a gram from the index's statistics, which ANALYZE
-- gathers: without them it takes a common word for a rare one and reads all its cases. It lists
-- the commonest grams and takes any other for half as common as the least of them; at the
-- default statistics target that least was 1.6% of 1M cases, so a word two cases in 10,000 have
-- (沙柳) was read from the newest cases, every one of them: 5 s. A target of 1000 lists grams
-- down to 0.1%; ANALYZE then samples 300,000 cases, 20 s.
alter index cases_grams alter column 1 set statistics 1000;
analyze cases;
