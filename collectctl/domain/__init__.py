"""The domain: records, money and the collection policy. Pure: no files, no git, no clock,
no words for people (the presentation layer makes those from the typed reasons here)."""
