"""The content pack: loading ``content/`` into core types, its rules and the claims gate."""
