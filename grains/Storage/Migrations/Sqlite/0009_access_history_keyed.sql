-- Keyed and anchored history chain (see the PostgreSQL script).
alter table access_history add column alg text not null default 'sha256';

create table access_history_heads (
    space_id text   primary key,
    seq      bigint not null,
    hash     text   not null
);
insert into access_history_heads (space_id, seq, hash)
    select space_id, seq, hash from access_history h where seq = (select max(seq) from access_history m where m.space_id = h.space_id);

drop trigger access_history_no_delete;
create trigger access_history_no_delete before delete on access_history
when exists (select 1 from grains where grain_type = 'patient-space' and grain_id = old.space_id and status <> 'Closed')
begin
    select raise(abort, 'access history of a live space cannot be deleted');
end;
