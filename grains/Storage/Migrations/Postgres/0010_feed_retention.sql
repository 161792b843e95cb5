-- The retention pass deletes notifications and finished jobs by age: index the ages so it
-- reads only what it deletes.
create index notifications_by_age on notifications (created_at_ms);
create index jobs_done_by_age on jobs (created_at_ms) where status = 'done';
