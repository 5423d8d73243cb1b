"""The project app has no tables of its own; this module lets Django send it post_migrate (roles sync)."""
