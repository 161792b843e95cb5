-- The professionals directory, imported from the public RPPS extract. Each row is one
-- professional grain's state: a read-mostly reference table, searched by name, profession
-- and city, and read once per professional access to decide default rights.
-- The search_* columns hold normalised text (upper case, no accents, punctuation as single
-- spaces) and are searched by prefix as ranges (>= prefix and < prefix's successor), so they
-- compare byte by byte on both providers: collation "C" here (a linguistic collation would
-- order "DUPONT MARIE" and "DUPONTEL" in ways a prefix range does not expect), the default
-- binary collation on SQLite.
create table professionals (
    rpps              text   primary key,
    last_name         text   not null,
    first_name        text   not null,
    profession_code   text   not null,
    profession        text   not null,
    specialty         text,
    facility_finess   text,
    facility_name     text,
    city              text,
    search_name       text collate "C" not null,  -- "LAST FIRST"
    search_city       text collate "C",
    search_first_last text collate "C" not null,  -- "FIRST LAST": people type names in either order
    search_profession text collate "C" not null,  -- the profession's label
    updated_at_ms     bigint not null  -- changes only when an import changes the row
);
create index professionals_by_name on professionals (search_name);
create index professionals_by_city on professionals (search_city);
create index professionals_by_first_name on professionals (search_first_last);
create index professionals_by_profession_code on professionals (profession_code, search_name);
create index professionals_by_profession on professionals (search_profession, search_name);
