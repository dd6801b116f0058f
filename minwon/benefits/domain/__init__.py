"""Pure benefits rules (stdlib only): dates in months, effective-dated parameters, eligibility."""
