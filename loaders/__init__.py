"""Write side of the store: schema, curated data, imports, exports and the `fazhi` command."""
