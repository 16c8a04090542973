"""The plain reader gives exactly what libyaml gives — the same data, types and line
numbers — or leaves the file to libyaml; it never reads a file libyaml refuses."""

import itertools
import random
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from collectctl.errors import LedgerFileError
from collectctl.storage import plain_yaml, store
from collectctl.storage.plain_yaml import OUTSIDE, Mapping

sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
from generate import generate

SAMPLE = Path(__file__).parent.parent / "sample-ledger"


def shape(data):
    """Data with every mapping's line and key lines spelled out, for comparing."""
    if isinstance(data, Mapping):
        items = tuple((key, shape(value)) for key, value in data.items())
        return ("mapping", data.line, tuple(data.key_lines.items()), items)
    if isinstance(data, list):
        return ("list", tuple(shape(item) for item in data))
    return (type(data).__name__, data)


def by_libyaml(text):
    try:
        return shape(store.parse_with_libyaml(text, "file.yaml"))
    except LedgerFileError:
        return "refused"


def agrees(text) -> bool:
    """The plain reader's answer is libyaml's, or it leaves the text to libyaml."""
    plain = plain_yaml.read(text)
    return plain is OUTSIDE or shape(plain) == by_libyaml(text)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[str]:
    ledger = tmp_path_factory.mktemp("generated") / "ledger"
    generate(ledger, customers=40)
    paths = sorted(SAMPLE.rglob("*.yaml")) + sorted(ledger.rglob("*.yaml"))
    return [path.read_text() for path in paths]


def test_every_ledger_file_reads_the_same_and_nearly_all_without_libyaml(corpus):
    inside = [text for text in corpus if plain_yaml.read(text) is not OUTSIDE]
    assert all(agrees(text) for text in corpus)
    assert len(inside) == len(corpus)  # the layouts people and collectctl write


def test_files_collectctl_writes_read_the_same():
    records = [
        {"kind": "call", "date": "2026-11-20", "notes": "Line one.\nLine two:\n\n  indented"},
        {"kind": "note", "notes": "it's 10:30 #1, ok: fine", "invoices": ["000123", "A-1"]},
        {"kind": "payment", "amount": "12.50", "flag": True, "to": ["a@x.example"]},
        {"name": "Müller & Söhne", "contacts": [{"name": "Jo", "formerly": ["J", "Jo B"]}]},
        {"kind": "note", "notes": "yes", "other": "null", "empty": "", "spaces": " x "},
    ]
    for record in records:
        for text in (store.to_yaml_text(record), store.records_text(record)):
            assert plain_yaml.read(text) is not OUTSIDE or "  x " in text, text
            assert agrees(text), text


TRICKY = [
    "a: 1\na: 2\n",  # a duplicate key
    "a: 1\n# last line, no line break", "a: 1\nb: 2", "a: 1\nb", "a: 1\n\n",  # nearly flat
    "a: one two\nb: one  \nc: x.y@z/w+v-u_t\nd: -x\ne: TRUE\nf: 09:00\n",  # words, nearly
    "r:\n    a: 1\n  - b: 2\n", "r:\n  - a: 1\n# c", "r:\n  - a: 1\n  - b: 2",  # nearly
    "r:\n  - a: 1\n  - a: 2\n", "r:\n  - a: 1\n    a: 2\n", "r:\n  - a: 1\n\n  - b: 2\n",
    "a: x\u2028y\n", "a: [x\x85]\n", "r:\n  - a: x\x00y\n", "a: 1\nl:\n  - x\ty\n",
    "n: 1\nr:\n  - a: 'x\ufeff'\n", "a: 1\n---\nb: 2\n", "a: 1\n...\n", "%YAML 1.2\na: 1\n",
    "a: 1\nl:\n  - x\na: 2\n", "n: 1\nr:\n  - a: 1\n    a: 2\n", "n: 1\nr:\n    a: 1\n",
    "r:\n  - a: 1\n  - x\n    b: 2\n", "r:\n  - x\n  - a: 1\n    b: 2\nn: 1\nm:\n  - y\n",
    "r:\n  - a: true\n    f: Null\n    b: x y\n    c: 'q'\n    d: [1]\n    e:\n", "r: 1\n  - a: 1\n",
    "a: !!str 1\n", "a: &x 1\nb: *x\n", "a: !tag x\n",
    "a: yes\nb: True\nc: ~\nd: null\ne: NULL\nf: false\ng:\n",
    "a: 'yes'\nb: \"True\"\nc: ''\nd: 'it''s'\ne: \"x\\ty\"\n",
    "a: value # comment\nb: 'q' # c\nc: [x, y]  # c\nd: # nothing\n",
    "a: [x, 'y, z', \"w\"]\nb: []\nc: [ x , y ]\nd: [x,]\ne: [x: 1]\n",
    "notes: |\n  one\n\n    two\n  three\n\n\nnext: 1\n",
    "notes: |-\n  one\n  two\nnext: 1\n",
    "notes: |+\n  keep\n\nnext: 1\n", "notes: >\n  folded\n  text\n",
    "notes: |\n  one\n two\n", "notes: |\n  \n  x\n", "notes: |\nnext: 1\n",
    "notes: |\n  no line break after the last line",
    "list:\n- a\n- b\nnext: 1\n", "list:\n  - a\n  - b\n  next: 1\n",
    "items:\n  - name: a\n    role: x\n  - name: b\n    tags:\n    - t\n",
    "items:\n  -   name: a\n      role: x\n",
    "outer:\n  inner:\n    deep: 1\n  back: 2\ntop: 3\n",
    "outer:\n  inner: 1\n    deeper: 2\n", "a: 1\n  b: 2\n", "a: multi\n  line\n",
    "- a\n- b\n", "just text\n", "", "# only a comment\n", "\n\na: 1\n\n",
    "a: b: c\n", "a: x:\n", "a:x\n", "a: -\n", "a: - x\n", "a: -5\n", "a: ?x\n",
    "a: @x\n", "a: `x\n", "a: %x\n", "a: ]x\n", "a: x]\n", "a: {x: 1}\n",
    "a: 'unclosed\n", 'a: "unclosed\n', "a: 'x' y\n",
    "---\na: 1\n", "a: 1\n...\n", "%YAML 1.2\n---\na: 1\n", "a: 1\n---\nb: 2\n",
    "a: 1\r\nb: 2\r\n", "\ufeffa: 1\n", "a:\t1\n", "a: x\x85y\n", "a: 1",
    "<<<<<<< HEAD\na: 1\n=======\na: 2\n>>>>>>> theirs\n",
    "key with space: 1\n", "'quoted key': 1\n", "? complex\n: value\n",
    "a:\n  -\n    b: 1\n", "a:\n  - - x\n", "a:\n  - |\n    x\n", "a: 1\n  - x\n",
    "a:\n  - \n", "a:\n  -  x\n", "a:\n  - k: v\n", "a:\n  - [x, y]\n", "a:\n  - x\n  - y\n",
    "a: Ünïcödé text\nb: 日本\n", "a: (+1) 555\nb: .5\nc: $10\nd: _x\n",
    # quoted text in each layout: empty, spaces, a quote doubled or lone, a comment after
    "a: ''\nb: ' '\nc: 'x # y'\nd: 'k: v'\ne: 'it''s'\nf: 'a'b'\ng: 'x' # c\nh: '[x]'\n",
    "a: 'x'\nl:\n  - ''\n  - 'y'\n  - 'it''s'\n  - 'z' # c\n  - 'true'\nm: 'no'\n",
    "r:\n  - a: ''\n    b: 'x y'\n    c: 'it''s'\n  - a: 'q' # c\n", "a: 'x\ty'\nl:\n  - x\n",
    "a: 'x'\nl:\n  - x\nl:\n  - y\n", "a: 'x'\nl: 1\n  - x\n", "l:\n  - 'a\n  - b\n",
    "a: 'x'\nl:\n  - x\n    b: 1\n", "a: 'x'\nl:\n  - k: v\n", "a:  ''  \n", "a: '''\n",
    "a: 'x'\nl:\n  - x\n\nm: 1\n", "a: 'x'\nl:\n  - x\n# c\n", "a: 'x'\nl: # c\n  - x\n",
    "  - a\n  - b\n", "  - a\nb: 1\n  - c\n", "a: # c\n  - x\nb: ~\n  - y\n",
    "a: [x" + " " * 5000 + "!]\n", "a: [x" + " " * 5000 + "y, z ]\n",  # read in one pass
    "".join(" " * depth + f"k{depth}:\n" for depth in range(3000)),  # past Python's stack
    "a:\n" + "".join("  " * depth + "- k:\n" for depth in range(1, 3000)),
]  # fmt: skip


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_texts_read_as_libyaml_reads_them(text):
    assert agrees(text)


COMMON = [
    "a: yes\nb: True\nc: ~\nd: null\ne: NULL\nf: false\ng:\n",
    "a: value # comment\nb: 'q' # c\nc: [x, y]  # c\nd: # nothing\n",
    "a: [x, 'y z', \"w\"]\nb: []\nc: [ x , y ]\n",
    "notes: |\n  one\n\n    two\n  three\n\n\nnext: 1\n",
    "notes: |-\n  one\n  two\nnext: 1\n",
    "list:\n- a\n- b\nnext: 1\n",
    "items:\n  - name: a\n    role: x\n  - name: b\n    tags:\n    - t\n",
    "outer:\n  inner:\n    deep: 1\n  back: 2\ntop: 3\n",
    "invoices:\n  - number: A-1\n    amount: 10.50\n    po:\n  - number: '007'\n    status: open\n",
    "kind: call\ninvoices:\n  - INV-1\n  - '007'\n  - # none\nto: # c\n  - a@x.example\nn: 1\n",
    "kind: promise\nrecorded: '2026-12-02T00:57:59+00:00'\ninvoices:\n  - INV-1\n  - ''\n",
]


@pytest.mark.parametrize("text", COMMON)
def test_the_common_layouts_are_read_without_libyaml(text):
    assert plain_yaml.read(text) is not OUTSIDE
    assert agrees(text)


def test_a_literal_block_keeps_its_inner_indentation_and_blank_lines():
    notes = plain_yaml.read(COMMON[3])
    assert notes["notes"] == "one\n\n  two\nthree\n"
    assert notes.line_of("next") == 8
    assert plain_yaml.read(COMMON[4])["notes"] == "one\ntwo"


def mutations(texts: list[str], count: int, seed: int):
    alphabet = list(" \n:-#'\"[]{},|>&*!?%@`~.abc01\t\r\x00\x85\u2028\ufeff")
    rng = random.Random(seed)
    for _ in range(count):
        text = rng.choice(texts)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(text) + 1)
            roll = rng.random()
            if roll < 0.4:
                text = text[:at] + rng.choice(alphabet) + text[at:]
            elif roll < 0.7:
                text = text[:at] + text[at + 1 :]
            else:
                text = text[:at] + rng.choice(alphabet) + text[at + 1 :]
        yield text


WRITTEN = [  # activity files as collectctl writes them (lists as blocks, moments quoted)
    store.records_text(
        {
            "kind": "call", "date": date(2026, 11, 23), "collector": "maria",
            "recorded": "2026-12-01T13:44:35+00:00", "contact": "Alex Approver 1",
            "outcome": "voicemail", "invoices": ["INV-1", "000123"],
            "follow_up": date(2026, 11, 25), "notes": "Chasing the open invoice.",
        }
    ),
    store.records_text(
        {
            "kind": "promise", "date": date(2026, 11, 23), "collector": "maria",
            "installments": [
                {"by": date(2026, 12, 1), "amount": Decimal("100.00")},
                {"by": date(2027, 1, 1), "amount": Decimal("250.50")},
            ],
            "invoices": ["INV-1"],
        }
    ),
    store.to_yaml_text({"kind": "note", "notes": "Two lines:\nthe second.", "to": ["a@x"]}),
]  # fmt: skip


LONG_LINE_CHECK = """
import itertools
from collectctl.errors import LedgerFileError
from collectctl.storage import store
n = 200_000
starts = ["key:", "key: ", "r:\\n  - a:", "r:\\n  - a: ", "n: 1\\nr:\\n  - a: 1\\n    b:",
          "l:\\n  -", "l:\\n  - ", "a: 1\\nl:\\n  - x\\n  -"]
rests = [" " * n + "\\x01", "a " * (n // 2) + "\\x01", " " * n + "#", "a" * n + " ", ": " * (n // 2),
         " #" * (n // 2), "[" + "a, " * (n // 3), "'" + "a" * n, " " * n + "'", " -" * (n // 2)]
for start, rest in itertools.product(starts, rests):
    try:
        store.parse(start + rest + "\\n", "file.yaml")  # the plain reader, else libyaml
    except LedgerFileError:
        pass
print("read them all")
"""


def test_a_file_with_a_very_long_line_is_read_without_hanging(tmp_path):
    """200,000 characters on one line, in each layout, ending every awkward way: read in
    moments. (A pattern that backtracked over a run of spaces took seven seconds for
    20,000 of them, and grew with the square of the length: hours for these.)"""
    import subprocess

    done = subprocess.run(
        [sys.executable, "-c", LONG_LINE_CHECK], capture_output=True, text=True, timeout=300
    )
    assert done.stdout == "read them all\n", done.stderr


def test_hand_broken_files_are_never_read_differently(corpus):
    """Thousands of files broken at random (a character put in, taken out, changed):
    each is read as libyaml reads it, or refused as libyaml refuses it."""
    texts = corpus + COMMON + WRITTEN * 20
    wrong = [text for text in mutations(texts, 6000, seed=18) if not agrees(text)]
    assert wrong == []


@pytest.mark.soak
def test_hand_broken_files_soak(corpus):
    texts = corpus + COMMON + WRITTEN * 20
    wrong = [text for text in mutations(texts, 300_000, seed=2026) if not agrees(text)]
    assert wrong == []


SCALARS = [
    "x", "INV-1", "'q'", '"d"', "''", "[a, b]", "[]", "true", "True", "~", "null", "# c",
    "a # c", "-5", "007", "'it''s'", "é ü", "a:b", "x #y", "1.50", "2026-01-01", "(a) b",
    "$5", "a, b", "[ 'x y' , \"z\" ]", "'#'", "yes",
]  # fmt: skip


def nested_document(rng: random.Random) -> str:
    """A random document in the block layouts people write: mappings nested by 2 or 4,
    lists indented or not, items that are mappings, `|` notes, comments, blank lines."""

    def block(indent: int, depth: int) -> list[str]:
        lines, pad = [], " " * indent
        for key in rng.sample(["a", "b", "c", "kind", "notes", "to"], rng.randint(1, 4)):
            if rng.random() < 0.1:
                lines.append(rng.choice(["", pad + "# note", "#x"]))
            roll = rng.random()
            if depth < 3 and roll < 0.2:
                lines.append(f"{pad}{key}:" + rng.choice(["", "", " # c"]))
                lines += block(indent + rng.choice([2, 4]), depth + 1)
            elif depth < 3 and roll < 0.4:
                lines.append(f"{pad}{key}:")
                dash = indent + rng.choice([0, 2, 4])
                for _ in range(rng.randint(1, 3)):
                    inner = block(dash + 2, depth + 1) if rng.random() < 0.4 else []
                    if inner and inner[0].strip() and not inner[0].lstrip().startswith("#"):
                        lines += [" " * dash + "- " + inner[0].lstrip(), *inner[1:]]
                    else:
                        lines.append(" " * dash + "- " + rng.choice(SCALARS))
            elif roll < 0.5:
                lines.append(f"{pad}{key}: " + rng.choice(["|", "|-"]))
                margin = indent + rng.choice([1, 2, 4])
                for _ in range(rng.randint(1, 3)):
                    lines.append(rng.choice([" " * margin + "text: #1", "", " " * margin + "  x"]))
                lines.append(" " * margin + "end")
            else:
                lines.append(f"{pad}{key}: {rng.choice(SCALARS)}")
        return lines

    return "\n".join(block(0, 0)) + rng.choice(["\n", "\n", ""])


def test_random_nested_documents_read_as_libyaml_reads_them():
    rng = random.Random(18)
    documents = [nested_document(rng) for _ in range(3000)]
    assert [text for text in documents if not agrees(text)] == []
    inside = sum(plain_yaml.read(text) is not OUTSIDE for text in documents)
    assert inside > len(documents) // 2  # the reader does not just leave them all to libyaml


@pytest.mark.soak
def test_random_nested_documents_soak():
    rng = random.Random(2026)
    assert [text for _ in range(100_000) if not agrees(text := nested_document(rng))] == []


def test_every_short_value_reads_as_libyaml_reads_it():
    """Every value of up to three characters of YAML's indicators, spaces (a no-break
    one too) and letters, after a key and as a list item: read as libyaml reads it, or
    left to it. (Whether a value can only be text is told by string tests, not a
    pattern: this is their check, beside the hand-broken files.)"""
    alphabet = "a -:#?,[{'\"&!|>%@`\u00a0"
    values = ["".join(c) for n in (1, 2, 3) for c in itertools.product(alphabet, repeat=n)]
    texts = [f"k: {v}\n" for v in values] + [f"l:\n  - {v}\n" for v in values]
    assert [text for text in texts if not agrees(text)] == []
