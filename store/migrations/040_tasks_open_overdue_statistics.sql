-- Nearly every open task is overdue in a backlog, and nearly every task is done: the planner,
-- taking status and overdue as independent, expected a department's overdue queue to hold a
-- few dozen tasks when it held a thousand, and sorted them all instead of reading the first page
-- from the queue index (tasks_queue_department). Statistics of the two together let it see how
-- many open tasks are overdue.
create statistics tasks_status_overdue (mcv) on status, overdue from tasks;
analyze tasks;
