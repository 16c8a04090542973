"""An email address is judged as the standard library's parser judges it, though plain
ones skip it (a cold read checks 20,000 of them at 10,000 customers); an amount as the
pattern judges it, though plain digits skip it."""

import itertools
import random
import re
from decimal import Decimal
from email.errors import HeaderParseError
from email.headerregistry import Address

import pytest

from collectctl.domain.inputs import one_address
from collectctl.domain.money import minor_units, parse_amount

TRICKY = [
    "a@x.example", " a@x.example ", "A.B-c+d@sub.x.example", "a..b@x.example", ".a@x.example",
    "a.@x.example", "a@x..example", "a@.x.example", "a@x.example.", "a@-x.example",
    "a@x-.example", "a@[192.0.2.1]", '"a b"@x.example', '"a"@x.example', "a b@x.example",
    "a@x example", "ü@x.example", "a@ü.example", "a,b@x.example", "a@x.example,b@y.example",
    "<a@x.example>", "Ann <a@x.example>", "a@x.example\n", "a\n@x.example", "a@x.example\r",
    "@x.example", "a@", "a", "", "a@@x.example", "a@x@y.example", "a(c)@x.example",
    "a@x.example (Ann)", "{a}|~@x.example", "a/b=c?d^e`f@x.example", "a'b@x.example",
    "._@[", "+a@[_a(-",
]  # fmt: skip


def judged_by_the_library(text: str) -> str | None:
    """The address as one_address judged it before plain ones skipped the parser."""
    try:
        if "\n" in text or "\r" in text or "@" not in text:
            raise ValueError
        Address(addr_spec=text.strip())
    except (ValueError, IndexError, AttributeError, HeaderParseError):
        return None  # AttributeError: the library's own stumble on `._@[`, say
    return text.strip()


def judged(text: str) -> str | None:
    try:
        return one_address(text)
    except ValueError as exc:
        assert str(exc) == f"{text!r} is not one email address"
        return None


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_addresses_are_judged_as_the_library_judges_them(text):
    assert judged(text) == judged_by_the_library(text)


def test_random_addresses_are_judged_as_the_library_judges_them():
    alphabet = "ab.@-_+ ,<>\"'ü()[]\n"
    rng = random.Random(20261201)
    texts = {"".join(rng.choices(alphabet, k=rng.randint(1, 10))) for _ in range(20_000)}
    texts |= {"".join(t) for t in itertools.product("a.@-", repeat=5)}
    differ = [t for t in sorted(texts) if judged(t) != judged_by_the_library(t)]
    assert differ == []


def test_an_address_the_library_stumbles_on_is_refused_in_one_line(sample):
    from conftest import run, snapshot

    before = snapshot(sample)
    result = run("-L", str(sample), "contact", "add", "cobalt-tool", "--name", "Zed",
                 "--email", "._@[")  # fmt: skip
    assert (result.code, result.err) == (
        2,
        "collectctl: --email: '._@[' is not one email address\n",
    )
    assert snapshot(sample) == before


def amount_by_the_pattern(text: str, currency: str) -> tuple[str, ...]:
    """An amount as parse_amount read every one before plain digits skipped the pattern."""
    text = text.strip()
    if not re.fullmatch(r"[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?", text, re.ASCII):
        return ("refused",)
    amount = Decimal(text.replace(",", ""))
    if amount.adjusted() >= 13 or -amount.as_tuple().exponent > minor_units(currency):
        return ("refused",)
    return ("read", str(amount))


def amount_read(text: str, currency: str) -> tuple[str, ...]:
    try:
        return ("read", str(parse_amount(text, currency)))
    except ValueError:
        return ("refused",)


def test_amounts_are_read_as_the_pattern_reads_them():
    """Every text of up to three of digits (other scripts' too), points, commas, signs,
    spaces and the like; and long ones: the same amount, to the last decimal, or refused."""
    alphabet = "09.,+- e_\u0661\uff11\u00b2"
    texts = ["".join(c) for n in range(4) for c in itertools.product(alphabet, repeat=n)]
    rng = random.Random(18)
    texts += ["".join(rng.choices(alphabet, k=rng.randint(4, 16))) for _ in range(20_000)]
    texts += ["12345678901234", "1234567890123", "1,234,567.891", "0001.50", " 7.5 "]
    for currency in ("USD", "JPY", "KWD"):
        wrong = [t for t in texts if amount_read(t, currency) != amount_by_the_pattern(t, currency)]
        assert wrong == [], currency
