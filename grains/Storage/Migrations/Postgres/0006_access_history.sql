-- The access history: one row per professional access to a space, allowed or denied,
-- written in the transaction of the access. Append-only and hash-chained per space: each
-- row's hash covers its fields and the previous row's hash, so an altered, removed or
-- reordered row breaks the chain (GET /api/me/access-history/verify).
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

-- Nothing may change a history row, and only a purged space's rows (its grain row gone)
-- may be removed. The trigger holds even for the table's owner; a superuser can still
-- bypass it (session_replication_role), which is what the hash chain is there to reveal.
create function access_history_guard() returns trigger language plpgsql as $$
begin
    if tg_op <> 'DELETE' then
        raise exception 'access history is append-only' using errcode = 'insufficient_privilege';
    end if;
    if exists (select 1 from grains where grain_type = 'patient-space' and grain_id = old.space_id) then
        raise exception 'access history of a live space cannot be deleted' using errcode = 'insufficient_privilege';
    end if;
    return old;
end $$;
create trigger access_history_append_only before update or delete on access_history
    for each row execute function access_history_guard();
create trigger access_history_no_truncate before truncate on access_history
    for each statement execute function access_history_guard();

-- The silo's role needs only to insert and read. Revoked from the owner too, so a silo that
-- connects as the owner (the simple deployment) still cannot rewrite history.
revoke update, truncate on access_history from public;
revoke update, truncate on access_history from current_user;

-- Distinct spaces each professional and each software client opened per hour, for the
-- mass-access guard; rows older than a day are pruned.
create table access_rate (
    actor       text   not null,
    hour        bigint not null,
    space_id    text   not null,
    primary key (actor, hour, space_id)
);

-- Alerts for operators (a professional or client over the mass-access limit); one per actor and hour.
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
