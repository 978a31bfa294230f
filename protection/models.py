"""Registries of IP protection centres and overseas dispute-response platforms (issue: protection registries)."""
