"""The pure core of carewatch: canonical events, the detector, the simulator (stdlib only)."""
