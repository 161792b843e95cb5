-- Once the stock ADO.NET grain persistence script (OrleansStorage, WriteToStorage and its
-- statements in OrleansQuery). No grain of the platform used it; migration 0015 removes it from
-- databases that applied this version, and this version now creates nothing
-- (docs/decisions.md, "No stock ADO.NET grain persistence").
select 1;
