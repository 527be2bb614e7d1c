"""The CI report formatters, exercised through real ``flake8`` runs in a subprocess.

SARIF output is validated against the OASIS SARIF 2.1.0 schema (``tests/data/sarif-schema-2.1.0.json``,
OASIS's ``Schemata/sarif-schema-2.1.0.json`` of oasis-tcs/sarif-spec, see tests/data/README.md), the
GitLab output against ``tests/data/gitlab-code-quality.schema.json`` (written from GitLab's
documentation of the required fields).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from flake8_signals.formatters.github import escape_data, escape_property, workflow_command
from flake8_signals.rules import RULES

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SEED = ROOT / "examples" / "myapp" / "signals.py"
SEED_LINE = 9  # request_finished.connect(log_response, app)

UTIL = """\
import os
import sys

print(sys.argv)
value = undefined_name
"""
CLEAN = '''\
"""Nothing to report."""

VALUE = 1
'''


def flake8(cwd: Path, *args: str, check_rc: int | None = None) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "flake8", "--isolated", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert "unknown formatter" not in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    if check_rc is not None:
        assert proc.returncode == check_rc, (proc.stdout, proc.stderr)
    return proc


def make_project(root: Path) -> Path:
    (root / "myapp").mkdir(parents=True)
    (root / "myapp" / "__init__.py").write_text("")
    shutil.copy(SEED, root / "myapp" / "signals.py")
    (root / "util.py").write_text(UTIL)
    (root / "clean.py").write_text(CLEAN)
    return root


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("project"))


@pytest.fixture(scope="module")
def default_output(project: Path) -> dict[tuple[str, int, str], int]:
    """(path, line, code) -> column, from flake8's own default format, for comparison."""
    proc = flake8(project, ".", check_rc=1)
    found = {}
    for line in proc.stdout.splitlines():
        path, row, col, rest = line.split(":", 3)
        found[(path.removeprefix("./"), int(row), rest.split()[0])] = int(col)
    return found


@pytest.fixture(scope="module")
def sarif_schema() -> dict:
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text("utf-8"))
    assert schema["id"].endswith("/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")
    return schema


@pytest.fixture(scope="module")
def gitlab_schema() -> dict:
    return json.loads((DATA / "gitlab-code-quality.schema.json").read_text("utf-8"))


def validate_sarif(log: dict, schema: dict) -> None:
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def validate_gitlab(issues: list, schema: dict) -> None:
    jsonschema.Draft202012Validator(schema).validate(issues)
    fingerprints = [issue["fingerprint"] for issue in issues]
    assert len(fingerprints) == len(set(fingerprints)), "GitLab needs unique fingerprints"


def results_by(log: dict) -> dict[tuple[str, str], dict]:
    out = {}
    for result in log["runs"][0]["results"]:
        location = result["locations"][0]["physicalLocation"]
        out[(result["ruleId"], location["artifactLocation"]["uri"])] = result
    return out


# --- SARIF ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif(project: Path) -> dict:
    flake8(project, "--format=sig-sarif", "--output-file=reports/flake8.sarif", ".", check_rc=1)
    return json.loads((project / "reports" / "flake8.sarif").read_text("utf-8"))


def test_sarif_is_valid_against_the_official_schema(sarif: dict, sarif_schema: dict) -> None:
    validate_sarif(sarif, sarif_schema)
    assert sarif["version"] == "2.1.0"
    assert len(sarif["runs"]) == 1


def test_sarif_rules_are_complete_for_every_declared_rule(sarif: dict) -> None:
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    by_id = {rule["id"]: rule for rule in rules}
    for code, rule in RULES.items():
        descriptor = by_id[code]
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["fullDescription"]["text"]
        assert descriptor["fullDescription"]["markdown"] == rule.what_it_does
        assert descriptor["help"]["text"] and descriptor["help"]["markdown"]
        assert rule.example.strip().splitlines()[0] in descriptor["help"]["markdown"]
        assert rule.use_instead.strip().splitlines()[-1] in descriptor["help"]["markdown"]
        assert descriptor["helpUri"] == rule.docs_url
    # Other plugins' codes of the same run: id only, nothing invented.
    assert by_id["F401"] == {"id": "F401"}
    assert by_id["F821"] == {"id": "F821"}
    assert len(by_id) == len(rules)


def test_sarif_result_for_the_seed(sarif: dict, default_output: dict) -> None:
    result = results_by(sarif)[("SIG101", "myapp/signals.py")]
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert rules[result["ruleIndex"]]["id"] == "SIG101"
    assert result["level"] == "error"
    assert result["message"]["text"].startswith(
        "local function 'log_response' is connected to 'request_finished'"
    )
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "myapp/signals.py", "uriBaseId": "%SRCROOT%"}
    region = location["region"]
    assert region["startLine"] == region["endLine"] == SEED_LINE
    # SARIF columns are 1-based like flake8's; the source line is pure ASCII.
    assert region["startColumn"] == default_output[("myapp/signals.py", SEED_LINE, "SIG101")]
    seed_line = SEED.read_text().splitlines()[SEED_LINE - 1]
    assert region["endColumn"] > region["startColumn"]
    assert region["endColumn"] <= len(seed_line) + 1
    assert sarif["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/")


def test_sarif_includes_other_plugins_findings_with_levels(sarif: dict) -> None:
    results = results_by(sarif)
    unused = results[("F401", "util.py")]
    undefined = results[("F821", "util.py")]
    assert unused["level"] == "warning"
    assert undefined["level"] == "error"  # F82: the code is broken, not untidy
    region = undefined["locations"][0]["physicalLocation"]["region"]
    # `undefined_name` is the whole reported expression: columns 9..22 (end exclusive).
    assert (region["startLine"], region["startColumn"], region["endColumn"]) == (5, 9, 23)
    assert not any(uri == "clean.py" for _, uri in results)


def test_sarif_with_zero_findings_is_valid(tmp_path: Path, sarif_schema: dict) -> None:
    (tmp_path / "clean.py").write_text(CLEAN)
    # --statistics and --benchmark must not leak text into the JSON document on stdout.
    proc = flake8(tmp_path, "--format=sig-sarif", "--statistics", "--benchmark", ".", check_rc=0)
    log = json.loads(proc.stdout)
    validate_sarif(log, sarif_schema)
    run = log["runs"][0]
    assert run["results"] == []
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == list(RULES)


def test_sarif_output_file_is_replaced_not_appended(tmp_path: Path) -> None:
    make_project(tmp_path)
    for _ in range(2):
        flake8(tmp_path, "--format=sig-sarif", "--output-file=out.sarif", "util.py", check_rc=1)
    assert len(json.loads((tmp_path / "out.sarif").read_text("utf-8"))["runs"][0]["results"]) == 2


def test_sarif_paths_are_relative_however_files_are_named(tmp_path: Path) -> None:
    make_project(tmp_path)
    absolute = str(tmp_path / "myapp" / "signals.py")
    proc = flake8(tmp_path, "--format=sig-sarif", absolute, "./util.py", check_rc=1)
    uris = {uri for _, uri in results_by(json.loads(proc.stdout))}
    assert uris == {"myapp/signals.py", "util.py"}


def test_fingerprints_survive_moving_code_but_not_changing_it(tmp_path: Path) -> None:
    make_project(tmp_path)

    def fingerprints() -> dict[tuple[str, int], str]:
        proc = flake8(tmp_path, "--format=sig-sarif", ".", check_rc=1)
        out = {}
        for result in json.loads(proc.stdout)["runs"][0]["results"]:
            region = result["locations"][0]["physicalLocation"]["region"]
            key = (result["ruleId"], region["startLine"])
            out[key] = result["partialFingerprints"]["flake8SignalsLineHash/v1"]
        return out

    before = fingerprints()
    assert len(set(before.values())) == len(before)
    seed = tmp_path / "myapp" / "signals.py"
    seed.write_text("# a comment\n# and another\n" + seed.read_text())
    moved = fingerprints()
    assert moved[("SIG101", SEED_LINE + 2)] == before[("SIG101", SEED_LINE)]
    assert moved[("F401", 1)] == before[("F401", 1)]  # util.py untouched

    seed.write_text(seed.read_text().replace("(log_response, app)", "(log_response, sender=app)"))
    changed = fingerprints()
    assert changed[("SIG101", SEED_LINE + 2)] != before[("SIG101", SEED_LINE)]


def test_identical_lines_get_distinct_fingerprints(tmp_path: Path) -> None:
    (tmp_path / "twice.py").write_text("x = 1;\nx = 1;\n")
    proc = flake8(tmp_path, "--format=sig-sarif", "--select=E703", "twice.py", check_rc=1)
    results = json.loads(proc.stdout)["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["E703", "E703"]
    assert len({r["partialFingerprints"]["flake8SignalsLineHash/v1"] for r in results}) == 2


def test_columns_are_characters_after_non_ascii_text(tmp_path: Path) -> None:
    # pyflakes (like every ast-based plugin) reports UTF-8 byte offsets; SARIF declares
    # unicodeCodePoints, so the formatter converts.
    (tmp_path / "u.py").write_text('x = "ééé"; y = undefined_thing\n', encoding="utf-8")
    proc = flake8(tmp_path, "--format=sig-sarif", "--select=F821", "u.py", check_rc=1)
    run = json.loads(proc.stdout)["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    region = run["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert (region["startColumn"], region["endColumn"]) == (16, 31)


# --- GitLab Code Quality -------------------------------------------------------------------


def test_codeclimate_matches_gitlab_required_fields(project: Path, gitlab_schema: dict) -> None:
    proc = flake8(project, "--format=sig-codeclimate", ".", check_rc=1)
    issues = json.loads(proc.stdout)
    validate_gitlab(issues, gitlab_schema)
    by_key = {(issue["check_name"], issue["location"]["path"]): issue for issue in issues}
    seed = by_key[("SIG101", "myapp/signals.py")]
    assert seed["location"]["lines"]["begin"] == SEED_LINE
    assert seed["severity"] == "major"
    assert seed["description"].startswith("SIG101 local function 'log_response'")
    assert RULES["SIG101"].docs_url in seed["description"]
    assert by_key[("F401", "util.py")]["severity"] == "minor"
    assert by_key[("F821", "util.py")]["location"]["lines"]["begin"] == 5


def test_codeclimate_fingerprints_equal_sarif_ones(project: Path, sarif: dict) -> None:
    issues = json.loads(flake8(project, "--format=sig-codeclimate", ".", check_rc=1).stdout)
    sarif_prints = {r["partialFingerprints"]["flake8SignalsLineHash/v1"] for r in sarif["runs"][0]["results"]}
    assert {issue["fingerprint"] for issue in issues} == sarif_prints


def test_codeclimate_with_zero_findings_is_an_empty_array(tmp_path: Path, gitlab_schema: dict) -> None:
    (tmp_path / "clean.py").write_text(CLEAN)
    proc = flake8(tmp_path, "--format=sig-codeclimate", "--output-file=gl-code-quality.json", ".", check_rc=0)
    assert proc.stdout == ""
    issues = json.loads((tmp_path / "gl-code-quality.json").read_text("utf-8"))
    assert issues == []
    validate_gitlab(issues, gitlab_schema)


# --- GitHub workflow commands --------------------------------------------------------------

COMMAND = re.compile(r"^::(error|warning) file=([^,:]+),line=(\d+),col=(\d+),title=([^,:]+)::(.+)$")


def test_github_annotations_one_line_per_finding(project: Path, default_output: dict) -> None:
    proc = flake8(project, "--format=sig-github", ".", check_rc=1)
    lines = proc.stdout.splitlines()
    assert len(lines) == len(default_output)
    parsed = [COMMAND.match(line) for line in lines]
    assert all(parsed), lines
    by_key = {(m[2], int(m[3]), m[6].split()[0]): m for m in parsed}
    seed = by_key[("myapp/signals.py", SEED_LINE, "SIG101")]
    assert seed[1] == "error"
    assert int(seed[4]) == default_output[("myapp/signals.py", SEED_LINE, "SIG101")]
    assert seed[5] == "SIG101 weakly-connected-local-function"
    assert seed[6].startswith("SIG101 local function 'log_response' is connected to 'request_finished'")
    assert seed[6].endswith(f"%0A%0ASee {RULES['SIG101'].docs_url}")
    assert by_key[("util.py", 1, "F401")][1] == "warning"


def test_github_escaping_in_a_real_run(tmp_path: Path) -> None:
    # A '%' in the message (F509) and ',' / ':' in the file name (a property value).
    (tmp_path / "odd,name:1.py").write_text("print('%y' % 1)\n")
    proc = flake8(tmp_path, "--format=sig-github", ".", check_rc=1)
    assert proc.stdout.splitlines() == [
        "::warning file=odd%2Cname%3A1.py,line=1,col=7,title=F509::"
        "F509 '...' %25 ... has unsupported format character 'y'"
    ]


def test_github_escaping_rules() -> None:
    assert escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"
    assert escape_property("a,b:c%\n") == "a%2Cb%3Ac%25%0A"
    line = workflow_command("error", "two\nlines", file="x,y.py", line=3, col=1, title="T: 1")
    assert line == "::error file=x%2Cy.py,line=3,col=1,title=T%3A 1::two%0Alines"
    assert "\n" not in line


# --- wiring --------------------------------------------------------------------------------


def test_documented_ci_command_line_works(project: Path) -> None:
    # docs/ci.md: make a missing plugin fail the job instead of passing silently.
    proc = flake8(project, "--require-plugins=flake8-signals", "--select=SIG", "--format=sig-github", ".")
    assert proc.returncode == 1
    assert [line.split("::")[1].split(",")[0] for line in proc.stdout.splitlines()] == [
        "error file=myapp/signals.py"
    ]
    missing = flake8(project, "--require-plugins=flake8-no-such-plugin", ".")
    assert missing.returncode != 0


def test_importing_formatters_does_not_import_astroid() -> None:
    code = "import sys, flake8_signals.formatters; assert 'astroid' not in sys.modules, 'astroid imported'"
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
