"""Protection: 특이민원 screening and officer safety (issue 16, docs/protection.md)."""
