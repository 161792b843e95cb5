-- Orleans cluster membership for the ADO.NET clustering provider (Microsoft.Orleans.Clustering.AdoNet).
-- The provider reads its statements by key from OrleansQuery and the rows by column name, so
-- those names are its contract; the statements themselves are this project's. Written for
-- PostgreSQL: each conditional write is one statement whose CTEs succeed or change nothing,
-- so no PL/pgSQL function and no ASSERT (which a server may run with plpgsql.check_asserts off).
create table if not exists OrleansQuery (
    QueryKey  varchar(64)   not null primary key,
    QueryText varchar(8000) not null
);

-- One row per cluster (DeploymentId = ClusterId): the membership table's version, bumped by
-- every membership change, so two silos writing from the same view cannot both win.
create table OrleansMembershipVersionTable (
    DeploymentId varchar(150) not null primary key,
    Timestamp    timestamptz(3) not null default now(),
    Version      integer not null default 0
);

-- One row per silo incarnation.
create table OrleansMembershipTable (
    DeploymentId varchar(150) not null references OrleansMembershipVersionTable (DeploymentId),
    Address      varchar(45) not null,
    Port         integer not null,
    Generation   integer not null,
    SiloName     varchar(150) not null,
    HostName     varchar(150) not null,
    Status       integer not null,
    ProxyPort    integer,
    SuspectTimes varchar(8000),
    StartTime    timestamptz(3) not null,
    IAmAliveTime timestamptz(3) not null,
    primary key (DeploymentId, Address, Port, Generation)
);

insert into OrleansQuery (QueryKey, QueryText) values
('InsertMembershipVersionKey',
 'with inserted as (
      insert into OrleansMembershipVersionTable (DeploymentId) values (@DeploymentId)
      on conflict (DeploymentId) do nothing
      returning 1)
  select count(*)::int from inserted;'),

-- A new silo row, only if the caller saw the current version: the version row is bumped first
-- (its row lock serialises racing writers, and a loser re-checks the version and matches
-- nothing), and the insert happens only if that bump did.
('InsertMembershipKey',
 'with bumped as (
      update OrleansMembershipVersionTable set Version = Version + 1, Timestamp = now()
      where DeploymentId = @DeploymentId and Version = @Version
        and not exists (select 1 from OrleansMembershipTable m
                        where m.DeploymentId = @DeploymentId and m.Address = @Address and m.Port = @Port and m.Generation = @Generation)
      returning 1),
  inserted as (
      insert into OrleansMembershipTable (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
      select @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
      where exists (select 1 from bumped)
      returning 1)
  select count(*)::int from inserted;'),

('UpdateMembershipKey',
 'with bumped as (
      update OrleansMembershipVersionTable set Version = Version + 1, Timestamp = now()
      where DeploymentId = @DeploymentId and Version = @Version
        and exists (select 1 from OrleansMembershipTable m
                    where m.DeploymentId = @DeploymentId and m.Address = @Address and m.Port = @Port and m.Generation = @Generation)
      returning 1),
  updated as (
      update OrleansMembershipTable
      set Status = @Status, SuspectTimes = @SuspectTimes, IAmAliveTime = @IAmAliveTime
      where DeploymentId = @DeploymentId and Address = @Address and Port = @Port and Generation = @Generation
        and exists (select 1 from bumped)
      returning 1)
  select count(*)::int from updated;'),

-- Heartbeats do not bump the version: they are liveness hints, not membership changes.
('UpdateIAmAlivetimeKey',
 'update OrleansMembershipTable set IAmAliveTime = @IAmAliveTime
  where DeploymentId = @DeploymentId and Address = @Address and Port = @Port and Generation = @Generation;'),

('MembershipReadRowKey',
 'select v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
         m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
  from OrleansMembershipVersionTable v
  left join OrleansMembershipTable m on m.DeploymentId = v.DeploymentId
       and m.Address = @Address and m.Port = @Port and m.Generation = @Generation
  where v.DeploymentId = @DeploymentId;'),

('MembershipReadAllKey',
 'select v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
         m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
  from OrleansMembershipVersionTable v
  left join OrleansMembershipTable m on m.DeploymentId = v.DeploymentId
  where v.DeploymentId = @DeploymentId;'),

('DeleteMembershipTableEntriesKey',
 'delete from OrleansMembershipTable where DeploymentId = @DeploymentId;
  delete from OrleansMembershipVersionTable where DeploymentId = @DeploymentId;'),

('GatewaysQueryKey',
 'select Address, ProxyPort, Generation from OrleansMembershipTable
  where DeploymentId = @DeploymentId and Status = @Status and ProxyPort > 0;'),

-- Cleanup of defunct silos removes only rows declared Dead (6) that started and last
-- heartbeated before the cut-off and that nobody still suspects. The older form of this
-- statement (Status != 3, "not Active") also removed silos that were still Joining or
-- ShuttingDown, and a joining silo whose row vanished could never become Active.
('CleanupDefunctSiloEntriesKey',
 'delete from OrleansMembershipTable
  where DeploymentId = @DeploymentId and Status = 6
    and IAmAliveTime < @IAmAliveTime and StartTime < @IAmAliveTime
    and coalesce(SuspectTimes, '''') = '''';'),

-- The same, for one captured row: it is removed only if it is still exactly what was read.
('CleanupDefunctSiloEntryKey',
 'delete from OrleansMembershipTable
  where DeploymentId = @DeploymentId and Status = 6
    and Address = @Address and Port = @Port and Generation = @Generation
    and IAmAliveTime = @IAmAliveTime and StartTime = @StartTime
    and coalesce(SuspectTimes, '''') = coalesce(cast(@SuspectTimes as varchar), '''');');
