-- The professionals directory, imported from the public RPPS extract. Each row is one
-- professional grain's state: a read-mostly reference table, searched by name, profession
-- and city, and read once per professional access to decide default rights.
create table professionals (
    rpps            text   primary key,
    last_name       text   not null,
    first_name      text   not null,
    profession_code text   not null,
    profession      text   not null,
    specialty       text,
    facility_finess text,
    facility_name   text,
    city            text,
    search_name     text   not null,  -- upper case, no accents: "LAST FIRST"
    search_city     text,             -- upper case, no accents
    updated_at_ms   bigint not null
);
create index professionals_by_name on professionals (search_name);
create index professionals_by_city on professionals (search_city);
