"""Topics: tags with a way to find their stories (a rule, learned from the user's tags, or
suggested from the story's own words)."""
