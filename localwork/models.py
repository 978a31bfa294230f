"""Provincial work summaries and typical cases (issue: work summaries)."""
