"""Helpers shared by the tests: fakes of the platforms, waiting, PostgreSQL, dumps."""
