"""The version of what analysis produces, apart from the pipeline so the reader can compare a
story's version without importing every analysis module."""

# Raise when what analysis produces changes, so `byline reanalyze` (and the reader, in the
# background) redoes old stories.
# 2: speakers chosen by the learned ranker; duplicates only across feeds.
ANALYSIS_VERSION = 2
