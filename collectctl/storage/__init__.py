"""The ledger on disk: where files live, bytes read and written atomically, YAML (the
only ruamel user), and the schema from raw YAML to domain records with their lines."""
