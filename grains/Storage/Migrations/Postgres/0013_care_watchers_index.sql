-- Care watchers: on every added document, the professionals who read the space in the last
-- hours. Through access_history_by_time that read walked every recent entry of the space,
-- uploads included, so a lab feeding a patient made each next upload dearer (0.26 ms a query
-- at 70 entries per space in the documents benchmark). Only reading entries that were allowed
-- are indexed here; the predicate is the query's, written with the same literals (a prepared
-- statement's parameters would not let the planner prove it), and must stay in step with
-- CareWatchers.ReadingActions.
create index access_history_readers on access_history (space_id, at_ms)
    where outcome = 'Allowed'
      and action in ('FindPatient', 'EmergencyAccess', 'ReadProfile', 'ListDocuments', 'ReadDocument', 'DownloadDocument');
