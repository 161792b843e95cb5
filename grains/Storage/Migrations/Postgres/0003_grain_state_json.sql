-- Grain state as json instead of jsonb. Nothing queries inside the state (schedulers use the
-- status and due_at_ms projections; grains read the whole document), so jsonb's parsed form
-- bought nothing, while parsing every state into it was the largest server cost of bulk
-- enrolment (COPY of 100,000 spaces: 2.0 s as jsonb, 1.3 s as json). json still refuses
-- text that is not JSON. Existing states are converted in place (a table rewrite).
alter table grains alter column state type json using state::json;
