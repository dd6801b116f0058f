"""What both web interfaces (the citizen portal and the office) use: file fields and uploads,
form error summaries, the download pages' responses, the filing choices.

`portal` and `office` may import this package; it imports neither (import-linter), so neither
interface ever imports the other.
"""
