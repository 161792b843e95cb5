-- Document metadata (content lives in the content store, encrypted). Every row carries the
-- owning space's id, first in every key, so the table can be distributed by it later.
-- Flags are 0/1 integers on both providers so one mapping serves both.
create table documents (
    space_id              text    not null,
    document_id           text    not null,
    type_code             text    not null,
    category              text    not null,
    tab                   text    not null,
    title                 text    not null,
    clinical_date         text    not null,   -- yyyy-MM-dd: sorts as text
    author_kind           text    not null,
    author_id             text,
    author_name           text,
    source_software       text,
    format                text    not null,
    file_name             text,
    size                  bigint  not null,
    sha256                text    not null,
    status                text    not null,
    confidentiality       text    not null,
    masked                integer not null,
    hidden_from_patient   integer not null,
    release_at_ms         bigint,
    hidden_from_guardians integer not null,
    replaces              text,
    superseded_by         text,
    content_key           text    not null,
    uploaded_by           text    not null,
    idempotency_key       text,
    request_hash          text    not null,
    added_at_ms           bigint  not null,
    updated_at_ms         bigint  not null,
    primary key (space_id, document_id)
);
create unique index documents_idempotency on documents (space_id, idempotency_key) where idempotency_key is not null;
create index documents_by_clinical_date on documents (space_id, clinical_date desc, added_at_ms desc);

-- Content that may exist in the store without a document pointing at it: an upload under
-- way, or a deleted document's content. Removed in the transaction that makes the content
-- referenced; the sweeper deletes what is left after a grace period.
create table content_orphans (
    content_key text   primary key,
    space_id    text   not null,
    since_ms    bigint not null
);
create index content_orphans_since on content_orphans (since_ms);
