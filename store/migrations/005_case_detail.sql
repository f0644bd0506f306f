-- What a case carries besides its form data: supervision orders (督办), the resident's
-- evaluation and links to cases opened from it or that it was opened from.

alter table cases
    add column supervision jsonb not null default '[]',
    add column evaluation  jsonb,
    add column links       jsonb not null default '[]';
