"""Keys and passwords: the keyring that wraps an encrypted store's key once per user, the
password hashes, and the key derivation both use. No Qt, no database sessions here."""
