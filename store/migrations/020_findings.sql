-- Accountability findings (督办查究) on a case's overdue tasks and unanswered supervision orders,
-- as the case workflow has them; the assessment counts them per responsible unit and department.
alter table cases add column findings jsonb not null default '[]';
