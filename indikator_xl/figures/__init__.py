"""The figures: key figures, stars, small groups, verdicts, rikssnitt, national merge."""
