"""Writes of the protection context (issue 16), one module per concern: ``screening`` (the
screen's results for citizens' texts, the cursor of the stream that feeds it, the logged reveal of
a masked text) and ``incidents`` (the append-only incident register, the measures of 영 제4조 and
the evidence files)."""

from minwon.protection.services.incidents import (
    EvidenceInput,
    incident_correct,
    incident_evidence_add,
    incident_evidence_read,
    incident_measure_correct,
    incident_measure_record,
    incident_record,
    panic_acknowledge,
    panic_raise,
)

__all__ = [
    "EvidenceInput",
    "incident_correct",
    "incident_evidence_add",
    "incident_evidence_read",
    "incident_measure_correct",
    "incident_measure_record",
    "incident_record",
    "panic_acknowledge",
    "panic_raise",
]
