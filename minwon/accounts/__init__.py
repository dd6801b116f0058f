"""People and the organisation: citizens, officers, org units, roles, second factor."""
