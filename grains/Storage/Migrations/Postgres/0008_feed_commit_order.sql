-- The feed in commit order, for each silo's relay (live pushes) and the e-mail alert
-- dispatcher. A row carries the id of the transaction that wrote it and a global counter.
-- Readers take rows in (tx, global_id) order but only below the oldest transaction still in
-- progress (pg_snapshot_xmin): nothing can commit later with a smaller tx, so a reader never
-- skips a row that commits late, without any NOTIFY in the writers' transactions.
alter table notifications add column global_id bigint generated always as identity;
alter table notifications add column tx bigint not null default (pg_current_xact_id()::text::bigint);
create index notifications_in_commit_order on notifications (tx, global_id);

-- Where each durable reader of the feed is (the e-mail alert dispatcher).
create table feed_cursors (
    name      text   primary key,
    tx        bigint not null,
    global_id bigint not null
);
