"""Open311 GeoReport v2 (/open311/v2/): a public adapter over the catalogue and complaints."""
