-- Enrolment imports: progress is checkpointed in the same transaction as each batch,
-- so a resumed import neither skips nor repeats rows.
create table enrolment_imports (
    id              text   primary key,
    idempotency_key text   unique,
    file_name       text   not null,
    file_sha256     text   not null,
    status          text   not null,
    total_rows      bigint not null default 0,
    rows_done       bigint not null default 0,
    last_line       bigint not null default 0,
    accepted        bigint not null default 0,
    rejected        bigint not null default 0,
    created_by      text   not null,
    created_at_ms   bigint not null,
    finished_at_ms  bigint,
    error           text
);
create table enrolment_rejections (
    import_id text   not null,
    line      bigint not null,
    reason    text   not null,
    primary key (import_id, line)
);
