"""Date formats of this site's languages where they differ from Django's (FORMAT_MODULE_PATH)."""
