"""Life-event one-stop bundles (issue 19): 맘편한 임신, 행복출산, 온종일돌봄.

``data/`` is the programme catalogue (effective-dated parameters in OpenFisca's YAML shape, the
programmes' rules, the bundles); ``domain/`` is the pure eligibility code; ``catalogue`` loads and
checks the data; ``cli`` is ``minwon benefits evaluate``. See docs/benefits.md.
"""
