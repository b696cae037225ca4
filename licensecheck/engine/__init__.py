"""The audit engine: the run, evaluation, lineage, baseline, explain and lock."""
