"""Reasons for machines: a stable code, the words a person reads, and the facts behind
them (amounts as exact strings, dates as ISO 8601 once through output.py)."""

from __future__ import annotations

from typing import Any

from collectctl.domain.models import Config, EmailSent
from collectctl.domain.money import normalize
from collectctl.domain.promises import InstallmentStatus
from collectctl.domain.reasons import Reason
from collectctl.presentation import words


def reason_record(reason: Reason, currency: str, config: Config) -> dict[str, Any]:
    record: dict[str, Any] = {"code": reason.code, "text": words.reason(reason, currency, config)}
    if isinstance(reason, InstallmentStatus):
        record |= {
            "amount": normalize(reason.amount, currency),
            "paid": normalize(reason.paid, currency),
            "by": reason.by,
            "check_day": reason.deadline,
            "installment": reason.number if reason.count > 1 else None,
            "of": reason.count if reason.count > 1 else None,
            "promise": reason.promise.file,
        }
        return record
    for name in reason.__struct_fields__:
        value = getattr(reason, name)
        if type(value) is EmailSent:
            value = {"date": value.date, "to": list(value.to), "file": value.file}
        record[name] = value
    return record
