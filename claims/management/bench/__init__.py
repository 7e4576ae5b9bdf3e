"""The benchmark's data: a million claims and their history, generated in SQL."""
