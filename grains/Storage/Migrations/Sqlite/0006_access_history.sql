-- The access history (see the PostgreSQL script for the why): append-only, hash-chained per space.
create table access_history (
    space_id      text    not null,
    seq           bigint  not null,
    entry_id      text    not null,
    at_ms         bigint  not null,
    rpps          text    not null,
    actor_name    text,
    profession    text,
    facility      text,
    via           text,
    action        text    not null,
    target        text,
    emergency     integer not null,
    reason        text,
    outcome       text    not null,
    prev_hash     text    not null,
    hash          text    not null,
    primary key (space_id, seq)
);
create index access_history_by_time on access_history (space_id, at_ms);

create trigger access_history_no_update before update on access_history
begin
    select raise(abort, 'access history is append-only');
end;

create trigger access_history_no_delete before delete on access_history
when exists (select 1 from grains where grain_type = 'patient-space' and grain_id = old.space_id)
begin
    select raise(abort, 'access history of a live space cannot be deleted');
end;

create table access_rate (
    actor       text   not null,
    hour        bigint not null,
    space_id    text   not null,
    primary key (actor, hour, space_id)
);

create table operator_alerts (
    alert_id    text   not null,
    kind        text   not null,
    actor       text   not null,
    hour        bigint not null,
    detail      text   not null,
    raised_at_ms bigint not null,
    primary key (kind, actor, hour)
);
create index operator_alerts_by_time on operator_alerts (raised_at_ms);
