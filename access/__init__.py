"""Who may view and who may edit: passwords kept as argon2 hashes, never in the clear."""
