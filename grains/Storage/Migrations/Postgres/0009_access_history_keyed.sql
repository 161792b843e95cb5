-- The access history's chain becomes keyed and anchored:
-- * new entries are hashed with HMAC-SHA256 under a key derived from the master key, which
--   the database never holds: someone who can write the table (a superuser) cannot recompute
--   a valid chain after changing a row. Entries written before keep their plain SHA-256
--   ('sha256') and are verified as such.
-- * each space's head (last sequence and hash) is kept apart and moved in the same transaction
--   as each append, which also orders concurrent appends; removing the last entries shows.
alter table access_history add column alg text not null default 'sha256';

create table access_history_heads (
    space_id text   primary key,
    seq      bigint not null,
    hash     text   not null
);
insert into access_history_heads (space_id, seq, hash)
    select distinct on (space_id) space_id, seq, hash from access_history order by space_id, seq desc;

-- A closed space's history may go (its purge removes it in the purge's own transaction); a live
-- space's never. Replaces the guard of 0006.
create or replace function access_history_guard() returns trigger language plpgsql as $$
begin
    if tg_op <> 'DELETE' then
        raise exception 'access history is append-only' using errcode = 'insufficient_privilege';
    end if;
    if exists (select 1 from grains where grain_type = 'patient-space' and grain_id = old.space_id and status <> 'Closed') then
        raise exception 'access history of a live space cannot be deleted' using errcode = 'insufficient_privilege';
    end if;
    return old;
end $$;

-- The role the silo runs as (deployments log in with a member of it): it may read and write
-- everything it needs, but neither update nor delete access history; a purge removes a
-- closed space's history through purge_access_history, which runs with the owner's rights.
do $$
begin
    if not exists (select from pg_roles where rolname = 'monespacesante_silo') then
        create role monespacesante_silo nologin;
    end if;
exception
    -- Roles belong to the whole cluster: another database of it, migrating at the same moment,
    -- may create the role between the check and the create. Either way the role now exists.
    when duplicate_object or unique_violation then null;
end $$;
grant usage on schema public to monespacesante_silo;
grant select, insert, update, delete on all tables in schema public to monespacesante_silo;
grant usage, select on all sequences in schema public to monespacesante_silo;
alter default privileges in schema public grant select, insert, update, delete on tables to monespacesante_silo;
alter default privileges in schema public grant usage, select on sequences to monespacesante_silo;
revoke update, delete, truncate on access_history from monespacesante_silo;

create function purge_access_history(purged_space text) returns void language plpgsql security definer
set search_path = public as $$
begin
    delete from access_history where space_id = purged_space;
    delete from access_history_heads where space_id = purged_space;
end $$;
revoke all on function purge_access_history(text) from public;
grant execute on function purge_access_history(text) to monespacesante_silo;
