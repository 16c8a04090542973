"""What people and machines read: words for the policy's typed reasons, the views of
the call list, follow-ups and brief, tables and JSON/CSV, templates, iCalendar."""
