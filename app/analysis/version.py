"""The version of what analysis produces, apart from the pipeline so the reader can compare a
story's version without importing every analysis module."""

# Raise when what analysis produces changes, so `byline reanalyze` (and the reader, in the
# background) redoes old stories.
# 2: speakers chosen by the learned ranker; duplicates only across feeds.
# 3: vox pops credited after a dash, transcript turns, quotes inside quotes, no sentence-
#    opening words as speakers; publisher highlights without page furniture.
# 4: double marks typed as two apostrophes (archive text); opening clauses ("Back in 1999,")
#    no speakers; no suggested topics for text in another language or from a lone ambiguous
#    word ("exchange" is no prisoner swap); no speakers guessed for blog quotes; "Mr." is no
#    speaker title.
# 5: "Clinton said." after a closed quote attributes it; capitals that only open sentences,
#    and I/we/you/they, name no speaker; somebody unnamed ("one resident said") is a
#    description, never a name from elsewhere; coined nicknames are quotes; quote marks in
#    lines of code are strings; more publisher highlight headings ("Key takeaways").
ANALYSIS_VERSION = 5
