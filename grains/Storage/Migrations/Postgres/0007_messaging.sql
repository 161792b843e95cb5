-- Secure messaging. A mailbox belongs to a patient space or a professional; its address is
-- unique on the platform. Each mailbox keeps its own copy of every message it sent or
-- received (deleting a copy leaves the others), keyed by the mailbox first so the table can
-- be distributed by it.
create table mailboxes (
    mailbox_id    text   primary key,   -- 'patient:{space id}' or 'professional:{rpps}'
    address       text   not null unique,
    kind          text   not null,
    display_name  text   not null,
    created_at_ms bigint not null
);

create table messages (
    mailbox_id      text    not null,
    message_id      text    not null,
    conversation_id text    not null,
    folder          text    not null,   -- Inbox or Sent
    archived        integer not null,
    sender          text    not null,   -- address
    sender_name     text    not null,
    to_addresses    text    not null,   -- space-separated addresses
    copy_addresses  text    not null,
    subject         text    not null,
    body            text    not null,
    attachments     text,               -- JSON: name, format, size, hash, content key, wrapped key
    search_text     text    not null,   -- normalised subject and correspondents, for search
    sent_at_ms      bigint  not null,
    read_at_ms      bigint,
    primary key (mailbox_id, message_id)
);
create index messages_by_folder on messages (mailbox_id, folder, archived, sent_at_ms);
-- Finds the other copies of a message when one is deleted (its attachments go with the last).
create index messages_by_id on messages (message_id);

-- Professionals who wrote to a patient: the patient may write back to them.
create table message_contacts (
    mailbox_id   text   not null,
    correspondent text  not null,
    since_ms     bigint not null,
    primary key (mailbox_id, correspondent)
);

-- Messages each sender sent per hour, for the per-sender limit.
create table message_rate (
    sender text   not null,
    hour   bigint not null,
    sent   bigint not null,
    primary key (sender, hour)
);
