-- SQLite twin of 0003_grain_state_json: SQLite already stores the state as text, so there is
-- nothing to convert; the script exists so that both providers share one version sequence.
select 1;
