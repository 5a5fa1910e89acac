"""The only code that writes the database: schema and migrations, batches (commit, undo,
history rows), derived figures, reference tables, builds and backups."""
