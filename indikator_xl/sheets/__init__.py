"""What each result sheet shows (sheet models) and the one look every renderer draws (pure)."""
