-- Until when a recipient has a live connection somewhere in the cluster (platform time, ms),
-- written by the silo holding it and renewed while it stays (LiveLeases). The feed append
-- returns it, so a grain publishes on the recipient's live stream only while someone listens:
-- a stream per notified recipient, listened to or not, kept Orleans' pulling agents busy
-- walking caches of streams nobody read. The feed stays the truth either way.
alter table feed_heads add column live_until_ms bigint not null default 0;
