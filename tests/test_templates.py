"""Call openers and confirmations come from Jinja templates a ledger can override."""

import pytest
from conftest import git, run

from collectctl.presentation.templates import Templates


def test_a_ledger_template_overrides_the_bundled_one(sample):
    (sample / "templates").mkdir()
    (sample / "templates/opener-first-call.txt.j2").write_text(
        "Hi {{ contact.name }}, {{ collector.name }} here about {{ total_overdue }}.\n"
    )
    git(sample, "add", "templates")
    git(sample, "commit", "-qm", "Our own first-call opener")
    result = run("-L", str(sample), "brief", "cobalt-tool")
    assert "Hi Ray Dunn, Dev Patel here about 6,400.00 USD." in result.out


def test_a_typo_names_the_template_and_line(sample):
    (sample / "templates").mkdir()
    (sample / "templates/opener-first-call.txt.j2").write_text(
        "Hello {{ contact.name }},\nthis is {{ colector.name }}.\n"
    )
    result = run("-L", str(sample), "brief", "cobalt-tool")
    assert (result.code, result.err) == (
        1,
        "collectctl: templates/opener-first-call.txt.j2:2: 'colector' is undefined\n",
    )


def test_a_syntax_error_names_the_template_and_line(sample):
    (sample / "templates").mkdir()
    (sample / "templates/opener-first-call.txt.j2").write_text("Hello\n{% if x %}\n")
    result = run("-L", str(sample), "brief", "cobalt-tool")
    assert result.code == 1
    assert result.err.startswith("collectctl: templates/opener-first-call.txt.j2:2: Unexpected end")


def test_html_confirmation_escapes_customer_data(tmp_path):
    html = Templates(None).render(
        "promise-confirmation.html.j2",
        {
            "company": "Harbor",
            "collector": {"name": "Maria", "email": None},
            "customer": {"id": "x", "name": "<img src=x onerror=alert(1)>"},
            "contact": None,
            "total": "1.00 USD",
            "method": None,
            "installments": [{"by": "2026-12-01", "amount": "1.00 USD"}],
            "invoices": [],
        },
    )
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "<img" not in html


def test_templates_cannot_reach_python_internals():
    import pytest

    from collectctl.presentation.templates import TemplateError

    templates = Templates(None)
    templates._env.loader.searchpath.insert(0, str(__import__("tempfile").mkdtemp()))
    folder = templates._env.loader.searchpath[0]
    (__import__("pathlib").Path(folder) / "evil.txt.j2").write_text(
        "{{ ''.__class__.__mro__[1].__subclasses__() }}"
    )
    with pytest.raises(TemplateError):
        templates.render("evil.txt.j2", {})


RUNAWAY = {
    "a huge string": ("{{ 'x' * 100000000 }}", "'*' would build too large a value"),
    "too much output": (
        "{% for a in range(100000) %}{{ 'x' * 10000 }}{% endfor %}",
        "output is over 1,000,000 characters; stopped",
    ),
    "a loop without end": (
        "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
        "rendering took longer than 1 s; stopped",
    ),
    "a range too large": (
        "{% for a in range(100000000) %}{% endfor %}",
        "builds too large a value; stopped",
    ),
    "a template that includes itself": (
        '{% include "opener-first-call.txt.j2" %}',
        "includes itself without end; stopped",
    ),
}


@pytest.mark.parametrize("case", RUNAWAY, ids=str)
def test_a_runaway_ledger_template_is_stopped(sample, case):
    source, message = RUNAWAY[case]
    (sample / "templates").mkdir()
    (sample / "templates/opener-first-call.txt.j2").write_text(source)
    result = run(
        "-L", str(sample), "brief", "cobalt-tool", env={"COLLECTCTL_TEMPLATE_TIME_LIMIT": "1"}
    )
    assert result.code == 1
    assert result.err.startswith("collectctl: templates/opener-first-call.txt.j2")
    assert result.err.rstrip().endswith(message)
