-- SQLite has one writer at a time, so a notification's rowid is already its commit order;
-- readers of the feed in commit order use it (see the PostgreSQL script).
create table feed_cursors (
    name      text   primary key,
    tx        bigint not null,
    global_id bigint not null
);
