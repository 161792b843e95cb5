-- Grain state: one row per grain, optimistic concurrency on version.
-- status and due_at_ms are the grain's own projection of its state, so schedulers
-- (automatic activation, purge) find due grains with an index instead of reading JSON.
create table grains (
    grain_type    text   not null,
    grain_id      text   not null,
    version       bigint not null,
    state         jsonb  not null,
    status        text,
    due_at_ms     bigint,
    updated_at_ms bigint not null,
    primary key (grain_type, grain_id)
);
create index ix_grains_due on grains (grain_type, status, due_at_ms) where due_at_ms is not null;

-- Lookup keys (keyed hashes of NIR, e-mail) to grain ids; distributed by key.
create table directory (
    kind      text   not null,
    key       text   not null,
    grain_id  text   not null,
    import_id text,
    line      bigint,
    primary key (kind, key)
);

-- Per-recipient notification feed (the outbox), written in the grain call's transaction.
create table feed_heads (
    recipient_id text   primary key,
    last_seq     bigint not null
);
create table notifications (
    recipient_id  text   not null,
    seq           bigint not null,
    id            uuid   not null,
    kind          text   not null,
    payload       jsonb  not null,
    created_at_ms bigint not null,
    primary key (recipient_id, seq)
);

-- Durable job queue, claimed with FOR UPDATE SKIP LOCKED.
create table jobs (
    id              text    primary key,
    kind            text    not null,
    payload         text    not null,
    status          text    not null,
    run_at_ms       bigint  not null,
    attempts        integer not null default 0,
    locked_until_ms bigint,
    last_error      text,
    created_at_ms   bigint  not null
);
create index ix_jobs_due on jobs (status, run_at_ms);

-- Patient sessions: only the SHA-256 of the bearer token is stored.
create table sessions (
    token_hash    text   primary key,
    space_id      text   not null,
    created_at_ms bigint not null,
    expires_at_ms bigint not null
);
create index ix_sessions_space on sessions (space_id);
