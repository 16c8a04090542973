"""`collectctl clone`: the whole ledger for a manager or cron, or one collector's accounts
in a sparse checkout that follows accounts as they change hands on `sync`."""

import json
from html import escape

from conftest import git, run, snapshot

MARIAS = ["brightway", "delta-fab", "fulton-foods", "harbor-marine", "juniper-labs",
          "lakeside-print", "nordlicht"]  # fmt: skip


def origin_of(sample, tmp_path):
    origin = tmp_path / "origin.git"
    git(tmp_path, "clone", "-q", "--bare", str(sample), str(origin))
    return origin


def clone(origin, folder, *options):
    result = run("clone", str(origin), str(folder), *options)
    assert result.code == 0, result.err
    return result


def held(ledger):
    return sorted(path.name for path in (ledger / "customers").iterdir())


def test_a_collectors_clone_holds_their_accounts_and_works_on_them(sample, tmp_path):
    origin = origin_of(sample, tmp_path)
    maria = tmp_path / "maria"
    result = clone(origin, maria, "--collector", "Maria Lopez")
    assert result.out == f"cloned maria's 7 accounts into {maria}\n"
    assert held(maria) == MARIAS
    assert git(maria, "config", "collectctl.portfolio") == "maria\n"
    assert (
        git(maria, "config", "merge.collectctl.driver").strip().endswith("merge-driver %O %A %B %P")
    )

    listed = json.loads(
        run("-L", str(maria), "--collector", "maria", "due", "--format", "json").out
    )
    assert {row["customer"] for row in listed} <= set(MARIAS) and listed
    outside = run("-L", str(maria), "--collector", "maria", "brief", "keystone-build")
    assert (outside.code, outside.out) == (1, "")
    assert outside.err == (
        "collectctl: customer 'keystone-build' is in the ledger but not in this clone (it "
        "holds maria's accounts); 'git sparse-checkout add customers/keystone-build' "
        "brings it in\n"
    )
    unknown = run("-L", str(maria), "--collector", "maria", "brief", "nosuch")
    assert unknown.err.startswith("collectctl: unknown customer 'nosuch'")

    trace = tmp_path / "git-trace"  # git's own account of what each of its runs did
    logged = run("-L", str(maria), "--collector", "maria", "log-call", "fulton-foods",
                 "--outcome", "voicemail", env={"GIT_TRACE2_PERF": str(trace)})  # fmt: skip
    assert logged.code == 0, logged.err
    assert git(maria, "status", "--porcelain") == ""
    # the commit kept the index sparse (write-tree would expand it to every file of the
    # ledger): others' accounts stay one entry each
    assert "ensure_full_index" not in trace.read_text()
    assert "customers/keystone-build/\n" in git(maria, "ls-files", "--sparse")
    assert run("-L", str(maria), "check").out == (
        "ledger OK: this clone holds 7 of the ledger's 13 customers (maria's accounts); "
        "checked those only\n"
    )
    assert run("-L", str(maria), "--collector", "maria", "sync").code == 0
    assert git(origin, "log", "-1", "--format=%s", "main").startswith("log-call fulton-foods")
    everything = tmp_path / "all"
    clone(origin, everything)
    assert len(held(everything)) == 13
    assert run("-L", str(everything), "check").out == "ledger OK\n"


HOLDS = (
    "this clone holds 7 of the ledger's 13 customers (maria's accounts); "
    "what is shown covers those only"
)


def marias_and_whole(sample, tmp_path):
    """Maria's clone of the sample's origin, and one of the whole ledger."""
    origin = origin_of(sample, tmp_path)
    maria, everything = tmp_path / "maria", tmp_path / "all"
    clone(origin, maria, "--collector", "maria")
    clone(origin, everything)
    return maria, everything


def test_a_view_wider_than_the_clone_says_what_it_covers(sample, tmp_path):
    """Everyone's list, another collector's, a report, the disputes, the reminders: in a
    collector's clone they cover only the accounts it holds, and say so on stderr, never
    in the listing, JSON or CSV. The collector's own views, and a whole clone, say nothing."""
    maria, everything = marias_and_whole(sample, tmp_path)
    note = f"collectctl: {HOLDS}\n"
    wide = [  # who acts, then the command
        ("maria", "due", "--all"), ("maria", "due", "--collector", "dev"),
        ("maria", "followups", "--all"), ("maria", "report", "aging"),
        ("maria", "report", "dso", "--format", "json"), ("maria", "dispute", "list"),
        ("maria", "remind"),
        ("dev", "due"),  # dev's own list, in maria's clone: his accounts are not in it
    ]  # fmt: skip
    for acting, *args in wide:
        partial = run("-L", str(maria), "--collector", acting, *args)
        whole = run("-L", str(everything), "--collector", acting, *args)
        assert (partial.code, partial.err) == (0, note), args
        assert (whole.code, whole.err) == (0, ""), args
    aging = run("-L", str(maria), "report", "aging", "--format", "json")
    assert {row["customer"] for row in json.loads(aging.out)} <= {*MARIAS, "TOTAL"}
    for args in (["due"], ["followups"], ["due", "--collector", "maria"],
                 ["report", "aging", "--collector", "maria"], ["brief", "nordlicht"]):  # fmt: skip
        own = run("-L", str(maria), "--collector", "maria", *args)
        assert (own.code, own.err) == (0, ""), args

    git(maria, "sparse-checkout", "add", "customers/keystone-build")  # one more held
    assert run("-L", str(maria), "report", "aging").err == note.replace("7 of", "8 of")
    git(maria, "sparse-checkout", "disable")  # the whole ledger now: nothing to say
    assert len(held(maria)) == 13
    assert run("-L", str(maria), "report", "aging").err == ""
    assert run("-L", str(maria), "check").out == "ledger OK\n"


def test_a_mailed_copy_of_a_wide_view_says_what_the_clone_holds(sample, tmp_path, smtp_server):
    """A cron job mailing everyone's list, or a report, from a collector's clone: the
    reader of the mail is told what it covers, above the listing, in both parts."""
    maria, everything = marias_and_whole(sample, tmp_path)
    for ledger in (maria, everything):
        for args in (["due", "--all"], ["followups", "--all"], ["report", "aging"],
                     ["report", "html"]):  # fmt: skip
            sent = run("-L", str(ledger), "--collector", "maria", *args,
                       "--mail-to", "grace@harborline.example", env=smtp_server.env)  # fmt: skip
            assert sent.code == 0, sent.err
    messages = smtp_server.mailbox.messages()
    assert len(messages) == 8
    for message in messages[:4]:  # from maria's clone
        text = message.get_body(preferencelist=("plain",)).get_content().splitlines()
        html = message.get_body(preferencelist=("html",)).get_content()
        assert text[:2] == [f"Note: {HOLDS}.", ""]
        top = html.index("<body>") + len("<body>") if "<body>" in html else 0  # a page's
        assert html.index(f"<p>Note: {escape(HOLDS)}.</p>") == top  # first thing shown
    for message in messages[4:]:  # from the whole clone
        assert "Note:" not in message.get_body(preferencelist=("plain",)).get_content()


def test_sync_moves_accounts_that_change_hands(sample, tmp_path):
    origin = origin_of(sample, tmp_path)
    maria, manager = tmp_path / "maria", tmp_path / "manager"
    clone(origin, maria, "--collector", "maria")
    clone(origin, manager)
    for customer, owner in (("keystone-build", "maria"), ("nordlicht", "dev")):
        path = manager / "customers" / customer / "customer.yaml"
        text = path.read_text()
        path.write_text(text.replace("owner: dev", f"owner: {owner}", 1).replace(
            "owner: maria", f"owner: {owner}", 1))  # fmt: skip
    git(manager, "commit", "-qam", "keystone-build to maria, nordlicht to dev")
    git(manager, "push", "-q", "origin", "main")

    result = run("-L", str(maria), "--collector", "maria", "sync")

    assert result.code == 0, result.err
    assert result.out == (
        "synced: brought in 1 commit from origin/main, sent 0 of yours\n"
        "this clone holds 7 accounts\n"
    )
    assert "keystone-build" in held(maria) and "nordlicht" not in held(maria)
    brief = run("-L", str(maria), "--collector", "maria", "brief", "keystone-build")
    assert brief.code == 0, brief.err


def test_a_clone_that_cannot_be_made_leaves_nothing_behind(sample, tmp_path):
    origin = origin_of(sample, tmp_path)
    target = tmp_path / "maria"
    typo = run("clone", str(origin), str(target), "--collector", "marai")
    assert typo.code == 2 and "'marai' is not a collector (did you mean 'maria'?)" in typo.err
    assert not target.exists()

    plain = tmp_path / "plain"
    plain.mkdir()
    git(plain, "init", "-q")
    (plain / "notes.txt").write_text("not a ledger\n")
    git(plain, "add", ".")
    git(plain, "commit", "-qm", "notes")
    result = run("clone", str(plain), str(target))
    assert (result.code, result.err) == (
        1, f"collectctl: {plain} holds no collectctl.yaml at its top: not a ledger\n"
    )  # fmt: skip
    assert not target.exists()

    (target / "keep").mkdir(parents=True)
    before = snapshot(target)
    busy = run("clone", str(origin), str(target), "--collector", "maria")
    assert busy.err == f"collectctl: {target} already exists and is not empty\n"
    assert snapshot(target) == before


def test_a_collectors_clone_keeps_the_ledger_wide_rules(sample, tmp_path):
    """A new customer joins the checkout; a customer, or an invoice number, that the
    ledger holds outside the clone is refused; an import needs every account."""
    origin = origin_of(sample, tmp_path)
    maria = tmp_path / "maria"
    clone(origin, maria, "--collector", "maria")

    def as_maria(*args, input=None):
        return run("-L", str(maria), "--collector", "maria", *args, input=input)

    added = as_maria("customer", "add", "newco", "--name", "New Co", "--owner", "maria")
    assert added.code == 0, added.err
    assert "newco" in held(maria) and git(maria, "status", "--porcelain") == ""
    assert "customers/newco" in git(maria, "sparse-checkout", "list").split()

    before = snapshot(maria)
    taken = as_maria("customer", "add", "keystone-build", "--name", "Keystone again")
    assert (taken.code, taken.err) == (1, (
        "collectctl: customer 'keystone-build' is in the ledger but not in this clone; "
        "'git sparse-checkout add customers/keystone-build' brings it in\n"))  # fmt: skip
    number = as_maria("invoice", "add", "fulton-foods", "INV-2026-0061", "--amount", "10",
                      "--issued", "2026-11-20")  # fmt: skip
    assert (number.code, number.err) == (
        1, "collectctl: invoice INV-2026-0061 already belongs to keystone-build\n")  # fmt: skip
    imported = as_maria("import", "customers", "-", input="id,name\nx1,X One\n")
    assert imported.code == 1
    assert imported.err.startswith("collectctl: an import needs every account, and this clone")
    assert snapshot(maria) == before
