"""Hidden test suites, one folder per assignment; run only by the trusted judge."""
