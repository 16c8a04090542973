"""`collectctl init`: a new ledger is a git repository with one first commit."""

from conftest import SAMPLE_DAY, commit_count, git, run


def test_init_creates_a_committed_ledger(tmp_path):
    ledger = tmp_path / "books"
    result = run("init", str(ledger), "--company", "Acme AR")

    assert result.code == 0, result.err
    assert "init: new ledger for Acme AR" in result.out
    assert (ledger / ".git").is_dir()
    assert "company: Acme AR" in (ledger / "collectctl.yaml").read_text()
    ignored = (ledger / ".gitignore").read_text().splitlines()
    assert ".collectctl/" in ignored and "outbox/" in ignored
    assert commit_count(ledger) == 1
    assert git(ledger, "status", "--porcelain") == ""
    assert run("-L", str(ledger), "check").code == 0


def test_init_inside_an_existing_repository_commits_only_the_ledger(tmp_path):
    git(tmp_path, "init", "-q")
    (tmp_path / "notes.txt").write_text("someone's unrelated work\n")
    result = run("init", str(tmp_path / "ar"))

    assert result.code == 0, result.err
    committed = git(tmp_path, "show", "--name-only", "--format=", "HEAD").split()
    assert committed == [
        "ar/.gitattributes",
        "ar/.gitignore",
        "ar/collectctl.yaml",
    ]  # no CI files below the top
    assert "?? notes.txt" in git(tmp_path, "status", "--porcelain")


def test_init_refuses_an_existing_ledger(sample):
    before = commit_count(sample)
    result = run("init", str(sample))
    assert result.code == 1
    assert (
        result.err.strip() == f"collectctl: {sample} is already a ledger (collectctl.yaml exists)"
    )
    assert commit_count(sample) == before


def test_init_sample_on_its_own_day_keeps_the_dates(sample):
    text = sample / "customers/harbor-marine/activity/2026-11-10T090500Z-promise-maria.yaml"
    assert "by: 2026-11-18" in text.read_text()
    assert (
        git(sample, "log", "--format=%s").strip()
        == f"init: sample ledger with dates as of {SAMPLE_DAY}"
    )


def test_init_sample_moves_dates_by_whole_weeks(tmp_path):
    # Thursday, 17 days after the sample's Monday: the story moves two weeks on.
    ledger = tmp_path / "live"
    result = run("--today", "2026-12-10", "init", str(ledger), "--sample")

    assert result.code == 0, result.err
    activity = ledger / "customers/harbor-marine/activity"
    promise = activity / "2026-11-24T090500Z-promise-maria.yaml"
    assert promise.exists(), sorted(p.name for p in activity.iterdir())
    text = promise.read_text()
    assert "date: 2026-11-24" in text and "by: 2026-12-02" in text
    assert "as of 2026-12-07" in git(ledger, "log", "-1", "--format=%s")
    assert run("-L", str(ledger), "check").code == 0
    # the story moves; the calendar does not: Thanksgiving stays on its day
    config = (ledger / "collectctl.yaml").read_text()
    assert "- 2026-11-26  # Thanksgiving" in config and "- 2026-12-25" in config


def test_init_without_anyone_to_author_it_leaves_nothing_behind(tmp_path):
    empty_config = tmp_path / "empty.gitconfig"
    empty_config.write_text("")
    result = run("init", str(tmp_path / "books"), env={"GIT_CONFIG_GLOBAL": str(empty_config)})
    assert result.code == 1
    assert result.err.startswith("collectctl: who is collecting? pass --collector NAME")
    assert not (tmp_path / "books").exists()


def test_init_sets_where_mail_comes_from(tmp_path):
    ledger = tmp_path / "ar"
    result = run(
        "init", str(ledger), "--company", "Northwind", "--email-from", "ar@northwind.example"
    )
    assert result.code == 0, result.err
    assert "  from: ar@northwind.example\n" in (ledger / "collectctl.yaml").read_text()
    assert run("-L", str(ledger), "check").out == "ledger OK\n"
    refused = run("init", str(tmp_path / "other"), "--email-from", "not an address")
    assert refused.code == 2 and "--email-from" in refused.err
    assert not (tmp_path / "other").exists()


def test_mail_without_a_sender_is_configuration_exit_1_saying_what_to_set(tmp_path):
    ledger = tmp_path / "ar"
    assert run("init", str(ledger)).code == 0
    result = run("-L", str(ledger), "due", "--mail-to", "maria@example.test")
    assert result.code == 1
    assert result.err == (
        "collectctl: set email.from in collectctl.yaml: the address messages come from "
        "(a new ledger: collectctl init DIR --email-from ADDRESS)\n"
    )


def test_init_sets_git_up_for_many_files(tmp_path):
    ledger = tmp_path / "ar"
    assert run("init", str(ledger), "--sample").code == 0
    settings = {key: git(ledger, "config", "--get", key).strip()
                for key in ("index.version", "core.splitIndex", "core.untrackedCache")}  # fmt: skip
    assert settings == {
        "index.version": "4",
        "core.splitIndex": "true",
        "core.untrackedCache": "true",
    }
    header = (ledger / ".git/index").read_bytes()[:8]
    assert header == b"DIRC\x00\x00\x00\x04"  # the compressed index git writes for v4
    assert run("-L", str(ledger), "note", "delta-fab", "called").code == 0  # and it still commits
    assert git(ledger, "status", "--porcelain") == ""


def test_an_existing_clone_opts_in_to_the_settings_for_many_files_with_migrate(sample):
    for key in ("index.version", "core.splitIndex", "core.untrackedCache"):
        git(sample, "config", "--unset", key)
    git(sample, "update-index", "--index-version", "2", "--no-split-index")
    result = run("-L", str(sample), "migrate")
    assert (result.code, result.out) == (0, "nothing changed: the ledger is already in format 2\n")
    assert git(sample, "config", "--get", "core.splitIndex") == "true\n"
    assert (sample / ".git/index").read_bytes()[:8] == b"DIRC\x00\x00\x00\x04"
    assert git(sample, "config", "--get", "merge.collectctl.driver").endswith("%O %A %B %P\n")
    assert git(sample, "status", "--porcelain") == ""
