"""Writes of the protection context (issue 16): ``screening`` (the screen's results for citizens'
texts, the cursor of the stream that feeds it, the logged reveal of a masked text) and
``incidents``."""
