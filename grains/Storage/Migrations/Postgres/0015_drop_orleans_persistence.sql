-- Removes what migration 0012 once created: the stock ADO.NET grain persistence table, its write
-- function and its statements. The platform's grains keep their state in `grains` through their
-- own storage; nothing read or wrote these (docs/decisions.md, "No stock ADO.NET grain persistence").
DROP FUNCTION IF EXISTS writetostorage(integer, bigint, bigint, integer, character varying, character varying, character varying, integer, bytea);
DROP TABLE IF EXISTS OrleansStorage;
DELETE FROM OrleansQuery WHERE QueryKey IN ('WriteToStorageKey', 'ReadFromStorageKey', 'ClearStorageKey', 'DeleteStorageKey');
