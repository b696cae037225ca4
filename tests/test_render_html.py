"""The HTML report: hand-built reports checked as text, then opened in headless Chromium.

Chromium always runs here (Debian's `chromium`; `.ci/chromium.sh` installs it): the screenshot must show the
chart and the table, and the table must sort and filter, both through the URL fragment the page documents
and through real clicks and typing over the DevTools protocol.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import select
import shutil
import struct
import subprocess
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from licensecheck.cli import main
from licensecheck.model import (
    Declared,
    FetchError,
    Finding,
    LicenseFacts,
    LineageEntry,
    ModelReport,
    Obligation,
    Publisher,
    Reference,
    Report,
    Verdict,
    Waived,
)
from licensecheck.render import chart
from licensecheck.render import html as html_render
from licensecheck.render.context import RenderContext
from tests.conftest import CARDS, wait_until
from tests.factory import model_report

POSTURES = ("openness", "commercial", "export-caution")
CTX = RenderContext(tool_version="0.1.0", created="2025-01-31T12:00:00Z")
# The chart's bar colours, as the stylesheet must define them (colour-blind-safe, checked against the page).
BAR_COLORS = {"allow": "#009e73", "warn": "#e69f00", "deny": "#b2182b"}
WIDTH, HEIGHT = 1280, 1800
CHROMIUM_TIMEOUT = 120
REAL_CARDS = (
    "deepseek-ai__DeepSeek-R1",
    "meta-llama__Llama-3.1-8B-Instruct",
    "google__gemma-2-9b-it",
    "bigscience__bloom",
    "stabilityai__sdxl-turbo",
    "mistralai__Mistral-7B-v0.1",
)

HOSTILE_ID = "evil-org/<script>alert(1)</script>\"x'y"
HOSTILE_MESSAGE = "bad card </script><script>alert(2)</script><img src=x onerror=alert(3)> & more"
HOSTILE_LICENCE = "LicenseRef-</script><b>bold</b>"

MIT = LicenseFacts(id="MIT", name="MIT License", category="permissive", osi_approved=True)
APACHE = LicenseFacts(id="Apache-2.0", name="Apache License 2.0", category="permissive", osi_approved=True)
LLAMA = LicenseFacts(
    id="LicenseRef-llama-3.1", name="Llama 3.1 Community License Agreement", category="community"
)
GEMMA = LicenseFacts(id="LicenseRef-gemma", name="Gemma Terms of Use", category="community")
OPENRAIL = LicenseFacts(
    id="LicenseRef-bigscience-openrail-m", name="BigScience OpenRAIL-M", category="open-rail"
)
NC = LicenseFacts(id=HOSTILE_LICENCE, name="<i>Creative Commons</i> NC", category="non-commercial")


def _model(
    model_id: str, expression: str | None, verdicts: dict[str, Verdict], *args: Any, **kw: Any
) -> ModelReport:
    return model_report(model_id, expression, verdicts, *args, declared=Declared(license="x"), **kw)


def _report() -> Report:
    llama_obligations = (
        Obligation("license-text", "ship a copy of the Llama 3.1 Community License", "LICENSE"),
        Obligation("attribution", 'display "Built with Llama"', "section 1.b.i"),
        Obligation("naming", 'prefix derivative model names with "Llama"', "section 1.b.i"),
        Obligation("acceptable-use", "pass on the acceptable use policy", "section 1.b.iv"),
        Obligation("user-cap", "a licence from Meta is needed above 700M monthly active users", "section 2"),
    )
    models = (
        _model(
            "deepseek-ai/DeepSeek-R1",
            "MIT",
            {"openness": "allow", "commercial": "allow", "export-caution": "warn"},
            (Finding("jurisdiction-of-concern", "export-caution", "warn", "publisher deepseek-ai is in CN"),),
            facts=(MIT,),
            publisher=Publisher(org="deepseek-ai", name="DeepSeek", country="CN"),
            obligations=(Obligation("license-text", "ship the MIT licence text", "LICENSE"),),
            references=(Reference("train.py", 12),),
        ),
        _model(
            "meta-llama/Llama-3.1-8B-Instruct",
            "LicenseRef-llama-3.1",
            {"openness": "deny", "commercial": "warn", "export-caution": "allow"},
            (
                Finding(
                    "not-open", "openness", "deny", "the Llama 3.1 licence caps users and carries an AUP"
                ),
                Finding("user-limit", "commercial", "warn", "700M monthly active users cap"),
                Finding(
                    "naming-rule",
                    "commercial",
                    "info",
                    "derived names must start with Llama",
                    waived=Waived("legal approved 2025-01", "legal", None),
                ),
            ),
            facts=(LLAMA,),
            publisher=Publisher(org="meta-llama", name="Meta", country="US"),
            obligations=llama_obligations,
        ),
        _model(
            "ghost-org/missing-model",
            None,
            {"openness": "deny", "commercial": "deny", "export-caution": "deny"},
            tuple(Finding("unresolved", p, "deny", "model not found on the Hub") for p in POSTURES),
            error=FetchError("not-found", "404 Client Error: Repository Not Found\x00"),
        ),
        _model(
            HOSTILE_ID,
            HOSTILE_LICENCE,
            {"openness": "warn", "commercial": "warn", "export-caution": "allow"},
            (Finding("<b>code</b>", "commercial", "warn", HOSTILE_MESSAGE),),
            facts=(NC,),
            publisher=Publisher(org="evil-org\"'<>", name="</title><script>alert(4)</script>", country="XX"),
            obligations=(Obligation("<kind>", "</script> obligation <!-- text", None),),
        ),
        _model(
            "./models/local-dual",
            "MIT OR Apache-2.0",
            {"openness": "allow", "commercial": "allow", "export-caution": "allow"},
            facts=(MIT, APACHE),
        ),
        _model(
            "bigscience/bloom",
            "LicenseRef-bigscience-openrail-m",
            {"openness": "allow", "commercial": "allow", "export-caution": "allow"},
            facts=(OPENRAIL,),
            publisher=Publisher(org="bigscience", name="BigScience"),
            obligations=(
                Obligation("acceptable-use", "pass the use restrictions on to end users", "Attachment A"),
            ),
            lineage=(LineageEntry("bigscience/bloom-base", "finetune", "LicenseRef-bigscience-openrail-m"),),
        ),
        _model(
            "google/gemma-2-9b",
            "LicenseRef-gemma",
            {"openness": "warn", "commercial": "allow", "export-caution": "allow"},
            (Finding("use-restrictions", "openness", "warn", "the Gemma terms restrict uses"),),
            facts=(GEMMA,),
            publisher=Publisher(org="google", name="Google", country="US"),
        ),
    )
    notice = Finding("waiver-unused", "openness", "warn", "waiver #2 matched no finding <here>")
    return Report(postures=POSTURES, models=models, notices=(notice,))


REPORT = _report()
IDS = [m.meta.id for m in REPORT.models]
VERDICT_OF = {m.meta.id: m.verdict for m in REPORT.models}


@pytest.fixture(scope="module")
def page() -> str:
    return html_render.render(REPORT, CTX)


# ---- the document as text --------------------------------------------------------------------------------
def test_document_shape_and_csp(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>\n")
    assert page.rstrip().endswith("</html>")
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page)
    assert csp is not None
    directives = {
        d.strip().split(" ", 1)[0]: d.strip() for d in csp.group(1).replace("&#x27;", "'").split(";")
    }
    assert directives["default-src"] == "default-src 'none'"
    assert directives["style-src"] == "style-src 'unsafe-inline'"
    assert directives["script-src"] == "script-src 'unsafe-inline'"
    assert directives["img-src"] == "img-src data:"
    assert page.index("Content-Security-Policy") < page.index("<style>") < page.index("<script")
    # one inline stylesheet, one data island and one inline script; nothing loaded from anywhere
    assert page.count("<style>") == 1
    assert len(re.findall(r"<script\b", page)) == 2
    assert '<script type="application/json" id="licensecheck-report">' in page


def test_no_external_references(page: str) -> None:
    # Nothing is loaded from anywhere. The only links are hyperlinks a reader may follow (model ids to
    # their Hub pages, licence names to their texts): `<a href="https://...">`, never fetched by the page.
    without_links = re.sub(r'<a href="https://[^"<>]*" rel="noopener noreferrer">', "<a>", page)
    assert not re.search(
        r"""\b(?:src|href|action|poster|data|srcset)\s*=\s*["']?\s*(?:https?:|//)""", without_links, re.I
    )
    assert not re.search(r"<(?:link|img|iframe|object|embed|base|audio|video|source)\b", page, re.I)
    assert "@import" not in page
    assert "url(" not in page
    assert not re.search(r"\b(?:fetch|XMLHttpRequest|WebSocket|EventSource|sendBeacon|import)\s*\(", page)
    # besides the SVG namespace, every URL in the page is one of those links (or the JSON data island's)
    urls = set(re.findall(r"https?://[^\s\"'<>]+", without_links))
    island = page[
        page.index('id="licensecheck-report">') : page.index(
            "</script>", page.index('id="licensecheck-report">')
        )
    ]
    assert {u for u in urls if u not in island} == {"http://www.w3.org/2000/svg"}


def test_hostile_text_is_escaped(page: str) -> None:
    assert "<script>alert" not in page
    assert "<img" not in page
    assert "<b>" not in page and "<i>" not in page
    assert "</title><script>" not in page
    assert page.count("</script>") == 2  # the data island and the script, nothing from the report
    assert "<!-- text" not in page
    # escaped as text and as attribute values
    assert "evil-org/&lt;script&gt;alert(1)&lt;/script&gt;&quot;x&#x27;y" in page
    assert 'data-model="evil-org/&lt;script&gt;alert(1)&lt;/script&gt;&quot;x&#x27;y"' in page
    assert (
        "bad card &lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;&lt;img src=x onerror=alert(3)&gt; &amp; more"
        in page
    )
    assert "LicenseRef-&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in page
    assert 'title="&lt;/title&gt;&lt;script&gt;alert(4)&lt;/script&gt;"' in page
    assert "\x00" not in page  # control characters from a fetch error are replaced
    # the inline script carries no report data
    script = page[page.rindex("<script>") :]
    for m in REPORT.models:
        assert m.meta.id not in script


def test_embedded_json_is_the_report(page: str) -> None:
    island = re.search(r'<script type="application/json" id="licensecheck-report">(.*?)</script>', page, re.S)
    assert island is not None
    text = island.group(1)
    assert not set("<>&") & set(text)
    data = json.loads(text)
    assert data["schema_version"] == 1
    assert data["summary"] == {"models": 7, "allow": 2, "warn": 3, "deny": 2}
    assert [m["id"] for m in data["models"]] == IDS
    assert data["models"][3]["findings"][0]["message"] == HOSTILE_MESSAGE


def test_summary_table_and_details(page: str) -> None:
    dom = parse(page)
    assert dom.title.startswith("licensecheck report: 7 models (2 deny, 3 warn, 2 allow)")
    assert [g.model for g in dom.groups] == IDS
    assert [g.verdict for g in dom.groups] == [VERDICT_OF[i] for i in IDS]
    assert not any(g.hidden for g in dom.groups)
    keys = [h.key for h in dom.headers]
    assert keys == [
        "model",
        "license",
        "category",
        "publisher",
        "verdict",
        *(f"posture:{p}" for p in POSTURES),
        "findings",
    ]
    assert dom.count == "7 models"  # without JavaScript
    assert dom.controls_hidden  # the controls need JavaScript
    rows = {g.model: g.cells for g in dom.groups}
    assert rows["ghost-org/missing-model"][1:4] == ["unresolved (not-found)", "unidentified", "—"]
    assert rows["deepseek-ai/DeepSeek-R1"][1:] == [
        "MIT LicenseMIT",  # the name (linked to its text), then the expression on its own line
        "permissive",
        "deepseek-ai (CN)",
        "warn",
        "allow",
        "allow",
        "warn",
        "1",
    ]
    assert (
        rows["meta-llama/Llama-3.1-8B-Instruct"][1]
        == "Llama 3.1 Community License AgreementLicenseRef-llama-3.1"
    )
    assert rows["meta-llama/Llama-3.1-8B-Instruct"][4:] == ["deny", "deny", "warn", "allow", "2"]  # 1 waived
    assert rows["./models/local-dual"][2] == "permissive"
    assert rows[HOSTILE_ID][3] == "evil-org\"'<> (XX)"
    # the details: findings with posture, severity, code, message, waiver; obligations with kind and text
    llama = dom.details["meta-llama/Llama-3.1-8B-Instruct"]
    assert "3 findings (1 deny, 1 warn), 5 obligations" in llama
    assert "naming-rulederived names must start with Llamalegal approved 2025-01 (legal)" in llama
    assert 'display "Built with Llama"' in llama
    assert "700M monthly active users" in llama
    assert HOSTILE_MESSAGE in dom.details[HOSTILE_ID]
    assert "404 Client Error" in dom.details["ghost-org/missing-model"]
    assert "waiver #2 matched no finding <here>" in dom.text


def test_chart_counts_categories_by_verdict() -> None:
    svg = html_render.chart_svg(REPORT.models)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    segments = re.findall(r'<rect class="bar (allow|warn|deny)"[^>]*><title>([^<]*): (\d+) \1</title>', svg)
    got = {(name, verdict): int(n) for verdict, name, n in segments}
    assert got == {
        ("permissive", "warn"): 1,
        ("permissive", "allow"): 1,
        ("community", "warn"): 1,
        ("community", "deny"): 1,
        ("unidentified", "deny"): 1,
        ("non-commercial", "warn"): 1,
        ("open-rail", "allow"): 1,
    }
    for label in ("Licence category", "Number of models", ">allow<", ">warn<", ">deny<"):
        assert label in svg
    css = html_render.asset("report.css")
    for v, colour in BAR_COLORS.items():
        assert f"svg .bar.{v}{{fill:var(--{v})}}" in css and f"--{v}:{colour}" in css


def test_empty_report_and_tick_steps() -> None:
    page = html_render.render(Report(postures=("openness",), models=()), CTX)
    assert "No models were audited." in page
    assert parse(page).groups == []
    assert [chart._tick_step(n) for n in (1, 7, 10, 11, 40, 120, 999)] == [1, 1, 1, 2, 5, 20, 100]


# ---- the document in Chromium ----------------------------------------------------------------------------
def chromium() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.access(path, os.X_OK):
        pytest.fail(
            "Chromium is not installed; the HTML report test needs it. Run .ci/chromium.sh "
            "(apt-get install chromium) and try again.",
            pytrace=False,
        )
    return path


def _flags(profile: Path) -> list[str]:
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-default-apps",
        "--mute-audio",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        f"--user-data-dir={profile}",
        f"--window-size={WIDTH},{HEIGHT}",
    ]


def test_missing_chromium_fails_with_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda *_a, **_k: None)
    monkeypatch.setattr(os, "access", lambda *_a, **_k: False)
    with pytest.raises(pytest.fail.Exception, match=r"Run \.ci/chromium\.sh"):
        chromium()


def run_chromium(tmp: Path, *args: str) -> str:
    profile = tmp / f"profile-{time.monotonic_ns()}"
    try:
        proc = subprocess.run(
            [chromium(), *_flags(profile), *args],
            capture_output=True,
            text=True,
            timeout=CHROMIUM_TIMEOUT,
            check=False,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert proc.returncode == 0, f"chromium failed ({proc.returncode}): {proc.stderr[-2000:]}"
    return proc.stdout


@pytest.fixture(scope="module")
def page_file(page: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(page, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def screenshot(page_file: Path) -> Path:
    png = page_file.parent / "report.png"
    run_chromium(
        page_file.parent, "--run-all-compositor-stages-before-draw", f"--screenshot={png}", page_file.as_uri()
    )
    assert png.is_file(), "Chromium wrote no screenshot"
    return png


def dump(page_file: Path, fragment: str = "") -> Dom:
    out = run_chromium(page_file.parent, "--dump-dom", page_file.as_uri() + fragment)
    return parse(out)


def test_screenshot_shows_chart_and_table(screenshot: Path, page_file: Path) -> None:
    assert screenshot.is_file() and screenshot.stat().st_size > 10_000
    img = read_png(screenshot.read_bytes())
    assert (img.width, img.height) == (WIDTH, HEIGHT)
    colours = img.colours(0, 0, img.width, img.height)
    assert len(colours) > 50, "the screenshot is blank"
    assert colours.most_common(1)[0][0] == (255, 255, 255)  # the page background
    bars = {v: _hex(c) for v, c in BAR_COLORS.items()}
    for v, rgb in bars.items():
        assert colours[rgb] >= 500, f"{v} bars missing from the screenshot ({colours[rgb]} pixels)"
    # the chart: the rows crossed by bars (long runs of a verdict colour, unlike the summary cards' borders)
    bar_rows = [y for y in range(img.height) if max(img.row_count(y, rgb) for rgb in bars.values()) >= 60]
    assert bar_rows, "no chart bars in the screenshot"
    top, bottom = bar_rows[0], bar_rows[-1] + 1
    assert 150 < top < bottom < 900 and len(bar_rows) >= 5 * 20  # five bars of 22 px
    boxes = [img.bbox(rgb, top, bottom) for rgb in bars.values()]
    left, right = min(b[0] for b in boxes), max(b[2] for b in boxes)
    assert right - left > 500
    chart = img.colours(left, top, right, bottom)
    assert all(chart[rgb] >= 500 for rgb in bars.values())
    # the table below it: a header band across the page, then the verdict badges (tints, not bar colours)
    header = _hex("#eef1f4")
    band = [y for y in range(bottom, img.height) if img.row_count(y, header) > img.width // 2]
    assert band, "no table header below the chart"
    table = img.colours(0, band[0], img.width, img.height)
    for tint in ("#dff3ea", "#fcefd2", "#f7dfe2"):
        assert table[_hex(tint)] >= 100, f"no {tint} verdict badges in the table"
    # the legend and labels are dark text on white: many distinct anti-aliased greys in the chart
    assert len(chart) > 30


def test_page_scripts_apply_without_fragment(page_file: Path) -> None:
    dom = dump(page_file)
    assert [g.model for g in dom.groups] == IDS
    assert not any(g.hidden for g in dom.groups)
    assert dom.count == "7 of 7 models"
    assert not dom.controls_hidden
    assert all(h.button for h in dom.headers)
    assert not any(h.aria_sort for h in dom.headers)
    assert dom.checked == {"allow": True, "warn": True, "deny": True}


def test_fragment_sorts(page_file: Path) -> None:
    dom = dump(page_file, "#sort=model:desc")
    assert [g.model for g in dom.groups] == sorted(IDS, key=str.lower, reverse=True)
    assert [h.aria_sort for h in dom.headers if h.aria_sort] == ["descending"]
    assert dom.header("model").aria_sort == "descending"

    dom = dump(page_file, "#sort=verdict:desc")
    rank = {"deny": 0, "warn": 1, "allow": 2}
    assert [g.model for g in dom.groups] == sorted(IDS, key=lambda i: rank[VERDICT_OF[i]])  # stable
    assert dom.header("verdict").aria_sort == "descending"

    dom = dump(page_file, "#sort=" + "posture:commercial")  # ascending by default
    order = [g.model for g in dom.groups]
    commercial = {m.meta.id: m.verdicts["commercial"] for m in REPORT.models}
    assert order == sorted(IDS, key=lambda i: -rank[commercial[i]])
    assert dom.header("posture:commercial").aria_sort == "ascending"

    dom = dump(page_file, "#sort=findings:desc")
    assert [g.cells[-1] for g in dom.groups] == ["3", "2", "1", "1", "1", "0", "0"]


def test_fragment_filters(page_file: Path) -> None:
    dom = dump(page_file, "#q=LLAMA&verdict=deny")
    assert [g.model for g in dom.groups if not g.hidden] == ["meta-llama/Llama-3.1-8B-Instruct"]
    assert all(g.hidden for g in dom.groups if g.model != "meta-llama/Llama-3.1-8B-Instruct")
    assert dom.count == "1 of 7 models"
    assert dom.checked == {"allow": False, "warn": False, "deny": True}
    assert dom.filter_value == "LLAMA"

    dom = dump(page_file, "#verdict=allow,warn&q=permissive&sort=model")
    assert [g.model for g in dom.groups if not g.hidden] == ["./models/local-dual", "deepseek-ai/DeepSeek-R1"]
    assert dom.count == "2 of 7 models"

    dom = dump(page_file, "#q=" + "%3Cscript%3E")  # hostile text is searchable as text
    assert [g.model for g in dom.groups if not g.hidden] == [HOSTILE_ID]

    dom = dump(page_file, "#q=(US)")  # publisher cells
    assert {g.model for g in dom.groups if not g.hidden} == {
        "meta-llama/Llama-3.1-8B-Instruct",
        "google/gemma-2-9b",
    }

    dom = dump(page_file, "#verdict=")
    assert all(g.hidden for g in dom.groups) and dom.count == "0 of 7 models"


def test_clicks_and_typing_sort_and_filter(page_file: Path) -> None:
    """Real input events over the DevTools protocol: header clicks toggle, typing and checkboxes filter."""
    with DevTools(page_file.parent) as dt:
        dt.open(page_file.as_uri())
        assert dt.eval("document.readyState") == "complete"
        assert dt.eval("performance.getEntriesByType('resource').length") == 0
        state = "JSON.stringify(Array.from(document.querySelectorAll('tbody.model')).map(g => [g.dataset.model, g.hidden]))"

        def order() -> list[str]:
            return [m for m, _ in json.loads(dt.eval(state))]

        def shown() -> list[str]:
            return [m for m, hidden in json.loads(dt.eval(state)) if not hidden]

        def aria(key: str) -> str | None:
            value = dt.eval(f"document.querySelector('th[data-key=\"{key}\"]').getAttribute('aria-sort')")
            assert value is None or isinstance(value, str)
            return value

        dt.click("th[data-key='model'] button")
        assert order() == sorted(IDS, key=str.lower)
        assert aria("model") == "ascending"
        assert dt.eval("location.hash") == "#sort=model%3Aasc"
        dt.click("th[data-key='model'] button")
        assert order() == sorted(IDS, key=str.lower, reverse=True)
        assert aria("model") == "descending"
        dt.click("th[data-key='findings'] button")
        assert aria("findings") == "ascending" and aria("model") is None
        assert order()[-1] == "ghost-org/missing-model"

        dt.click("#filter")
        dt.type("gemma")
        assert shown() == ["google/gemma-2-9b"]
        assert dt.eval("document.getElementById('count').textContent") == "1 of 7 models"
        dt.eval("document.getElementById('filter').select()")
        dt.type("us")
        assert set(shown()) == {"meta-llama/Llama-3.1-8B-Instruct", "google/gemma-2-9b"}
        dt.click("input[name=verdict][value=warn]")
        assert shown() == ["meta-llama/Llama-3.1-8B-Instruct"]
        assert dt.eval("location.hash") == "#sort=findings%3Aasc&q=us&verdict=allow%2Cdeny"

        dt.eval("location.hash = '#verdict=allow'")  # hashchange applies the fragment, like on load
        dt.wait_for("document.getElementById('count').textContent === '2 of 7 models'")
        assert set(shown()) == {"./models/local-dual", "bigscience/bloom"}

        dt.click("tbody.model[data-verdict=allow] details summary")
        assert dt.eval("document.querySelector('tbody.model:not([hidden]) details').open") is True
        assert dt.exceptions == []
        assert not [m for m in dt.console if "Content Security Policy" in m]


def test_real_cards_through_the_cli(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """`check --format html` over real cards from tests/data, a hostile card and a hand-made evil one."""
    evil = tmp_path / "evil<script>alert(1)<!--\"'&amp;"  # no "/" in a folder name
    evil.mkdir()
    (evil / "README.md").write_text(
        '---\nlicense: other\nlicense_name: "</script><script>alert(5)</script>"\n'
        'license_link: "javascript:alert(6)"\n---\n# evil\n',
        encoding="utf-8",
    )
    cards = [CARDS / name for name in REAL_CARDS] + [CARDS / "hostile" / "binary.md", evil]
    out = tmp_path / "report.html"
    with pytest.raises(SystemExit) as exc:
        main(
            [
                "check",
                "--format",
                "html",
                "-o",
                str(out),
                "-p",
                "openness",
                "-p",
                "commercial",
                *map(str, cards),
            ]
        )
    assert exc.value.code == 1, capsys.readouterr()  # some models are denied
    page = out.read_text(encoding="utf-8")
    assert "<script>alert" not in page and "javascript:" not in page.split("licensecheck-report")[0]
    dom = parse(page)
    assert [g.model for g in dom.groups] == [str(c) for c in cards]
    assert dom.header("posture:commercial")
    llama = next(g for g in dom.groups if "Llama-3.1" in g.model)
    assert llama.cells[2] == "community"
    assert "Built with Llama" in dom.details[llama.model]
    assert next(g for g in dom.groups if "binary" in g.model).cells[2] == "unidentified"
    assert any(g.model == str(evil) for g in dom.groups)

    shown = dump(out, "#q=llama&sort=model:desc")
    visible = [g.model for g in shown.groups if not g.hidden]
    assert visible and all("llama" in " ".join(g.cells).lower() for g in shown.groups if not g.hidden)
    assert shown.count == f"{len(visible)} of {len(cards)} models"
    assert [g.model for g in shown.groups] == sorted((str(c) for c in cards), key=str.lower, reverse=True)


# ---- helpers: a DOM summary, a PNG reader, a DevTools pipe client ---------------------------------------
@dataclass
class Header:
    key: str
    aria_sort: str | None
    button: bool = False


@dataclass
class Group:
    model: str
    verdict: str
    hidden: bool
    cells: list[str] = field(default_factory=list)


@dataclass
class Dom:
    title: str = ""
    text: str = ""
    count: str = ""
    controls_hidden: bool = False
    filter_value: str = ""
    headers: list[Header] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    details: dict[str, str] = field(default_factory=dict)
    checked: dict[str, bool] = field(default_factory=dict)

    def header(self, key: str) -> Header:
        return next(h for h in self.headers if h.key == key)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.dom = Dom()
        self.stack: list[str] = []
        self.capture: str | None = None  # "title", "count", "cell", "details"
        self.in_row = False
        self.in_thead = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        dom = self.dom
        if tag == "title" and not dom.title and "svg" not in self.stack:
            self.capture = "title"
        elif tag == "thead":
            self.in_thead = True
        elif tag == "th" and self.in_thead and "data-key" in a:
            dom.headers.append(Header(a["data-key"] or "", a.get("aria-sort")))
        elif tag == "button" and self.in_thead and dom.headers:
            dom.headers[-1].button = True
        elif tag == "tbody" and "model" in (a.get("class") or "").split():
            dom.groups.append(Group(a.get("data-model") or "", a.get("data-verdict") or "", "hidden" in a))
            dom.details[dom.groups[-1].model] = ""
        elif tag == "tr" and dom.groups and a.get("class") == "row":
            self.in_row = True
        elif tag in ("td", "th") and self.in_row and self.stack.count("table") == 1:
            dom.groups[-1].cells.append("")
            self.capture = "cell"
        elif tag == "tr" and a.get("class") == "detail":
            self.capture = "details"
        elif a.get("id") == "count":
            self.capture = "count"
        elif a.get("id") == "controls":
            dom.controls_hidden = "hidden" in a
        elif tag == "input" and a.get("id") == "filter":
            dom.filter_value = a.get("value") or ""
        elif tag == "input" and a.get("name") == "verdict":
            dom.checked[a.get("value") or ""] = "checked" in a
        if tag not in ("br", "input", "meta", "rect", "line", "img"):
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass
        if tag == "thead":
            self.in_thead = False
        elif tag == "tr" and self.in_row:
            self.in_row = False
        closes_text = tag in ("title", "p", "td", "th") and self.capture in ("title", "count", "cell")
        closes_details = tag == "tr" and self.capture == "details" and "tr" not in self.stack
        if closes_text or closes_details:
            self.capture = None

    def handle_data(self, data: str) -> None:
        dom = self.dom
        dom.text += data
        if self.capture == "title":
            dom.title += data
        elif self.capture == "count":
            dom.count += data
        elif self.capture == "cell":
            dom.groups[-1].cells[-1] += data.strip()
        elif self.capture == "details":
            dom.details[dom.groups[-1].model] += data


def parse(document: str) -> Dom:
    parser = _Parser()
    parser.feed(document)
    parser.close()
    dom = parser.dom
    dom.count = dom.count.strip()
    return dom


@dataclass
class Image:
    width: int
    height: int
    channels: int
    pixels: bytes

    def pixel(self, x: int, y: int) -> tuple[int, int, int]:
        i = (y * self.width + x) * self.channels
        return self.pixels[i], self.pixels[i + 1], self.pixels[i + 2]

    def colours(self, x0: int, y0: int, x1: int, y1: int) -> Counter[tuple[int, int, int]]:
        counts: Counter[tuple[int, int, int]] = Counter()
        c = self.channels
        for y in range(y0, y1):
            row = self.pixels[(y * self.width + x0) * c : (y * self.width + x1) * c]
            counts.update(zip(row[0::c], row[1::c], row[2::c], strict=True))
        return counts

    def row_count(self, y: int, rgb: tuple[int, int, int]) -> int:
        c = self.channels
        row = self.pixels[y * self.width * c : (y + 1) * self.width * c]
        return sum(1 for p in zip(row[0::c], row[1::c], row[2::c], strict=True) if p == rgb)

    def bbox(self, rgb: tuple[int, int, int], y0: int, y1: int) -> tuple[int, int, int, int]:
        """(left, top, right, bottom), exclusive, of the pixels of exactly `rgb` in rows y0 to y1."""
        xs: list[int] = []
        ys: list[int] = []
        c = self.channels
        for y in range(y0, y1):
            row = self.pixels[y * self.width * c : (y + 1) * self.width * c]
            hits = [x for x, p in enumerate(zip(row[0::c], row[1::c], row[2::c], strict=True)) if p == rgb]
            if hits:
                xs += (hits[0], hits[-1])
                ys.append(y)
        assert ys, f"colour {rgb} not found"
        return min(xs), ys[0], max(xs) + 1, ys[-1] + 1


def read_png(data: bytes) -> Image:
    """Decode an 8-bit RGB or RGBA, non-interlaced PNG with the standard library."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        assert zlib.crc32(kind + body) == struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])[0]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    assert header is not None, "no IHDR"
    width, height, depth, colour_type, _, _, interlace = header
    assert depth == 8 and colour_type in (2, 6) and interlace == 0, f"unsupported PNG {header}"
    bpp = 3 if colour_type == 2 else 4
    stride = width * bpp
    raw = zlib.decompress(b"".join(idat))
    assert len(raw) == height * (stride + 1)
    low7 = int.from_bytes(b"\x7f" * stride, "big")
    high = int.from_bytes(b"\x80" * stride, "big")

    def add(a: int, b: int) -> int:  # bytewise a + b mod 256 over whole rows at once
        return ((a & low7) + (b & low7)) ^ ((a ^ b) & high)

    out = bytearray()
    prev = bytes(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind = raw[start]
        line = raw[start + 1 : start + 1 + stride]
        if kind == 0:
            cur = bytes(line)
        elif kind == 1:  # Sub: a running sum per channel, by doubling shifts
            acc = int.from_bytes(line, "big")
            shift = bpp * 8
            while shift < stride * 8:
                acc = add(acc, acc >> shift)
                shift *= 2
            cur = acc.to_bytes(stride, "big")
        elif kind == 2:  # Up
            cur = add(int.from_bytes(line, "big"), int.from_bytes(prev, "big")).to_bytes(stride, "big")
        elif kind in (3, 4):
            buf = bytearray(line)
            for i in range(stride):
                left = buf[i - bpp] if i >= bpp else 0
                up = prev[i]
                if kind == 3:
                    buf[i] = (buf[i] + ((left + up) >> 1)) & 0xFF
                    continue
                corner = prev[i - bpp] if i >= bpp else 0
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
                buf[i] = (buf[i] + pred) & 0xFF
            cur = bytes(buf)
        else:
            raise AssertionError(f"bad PNG filter {kind} on row {y}")
        out += cur
        prev = cur
    return Image(width, height, bpp, bytes(out))


def _hex(colour: str) -> tuple[int, int, int]:
    value = int(colour.lstrip("#"), 16)
    return value >> 16, (value >> 8) & 0xFF, value & 0xFF


class DevTools:
    """A minimal Chrome DevTools protocol client over --remote-debugging-pipe (fds 3 and 4)."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.next_id = 0
        self.buffer = b""
        self.session: str | None = None
        self.exceptions: list[str] = []
        self.console: list[str] = []

    def __enter__(self) -> DevTools:
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()
        # Chromium reads fd 3 and writes fd 4; put the pipe ends above 9 first, so that neither is 3 or 4
        ends = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_chrome_r, from_chrome_w)]
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        profile = self.tmp / f"profile-{time.monotonic_ns()}"
        args = [chromium(), *_flags(profile), "--remote-debugging-pipe", "about:blank"]
        self.proc = subprocess.Popen(
            ["/bin/bash", "-c", f'exec "$@" 3<&{ends[0]} 4>&{ends[1]}', "bash", *args],
            pass_fds=tuple(ends),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for fd in ends:
            os.close(fd)
        try:
            targets = self.send("Target.getTargets", session=False)["targetInfos"]
            page_id = next(t["targetId"] for t in targets if t["type"] == "page")
            self.session = self.send(
                "Target.attachToTarget", {"targetId": page_id, "flatten": True}, session=False
            )["sessionId"]
            for domain in ("Page", "Runtime", "Log"):
                self.send(f"{domain}.enable")
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(Exception):
            self.send("Browser.close", session=False, timeout=10)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.to_chrome)
        os.close(self.from_chrome)

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            assert left > 0, "timed out waiting for Chromium"
            ready, _, _ = select.select([self.from_chrome], [], [], left)
            if ready:
                chunk = os.read(self.from_chrome, 1 << 16)
                assert chunk, "Chromium closed the DevTools pipe"
                self.buffer += chunk
        message, _, self.buffer = self.buffer.partition(b"\0")
        data: dict[str, Any] = json.loads(message)
        return data

    def send(
        self, method: str, params: dict[str, Any] | None = None, *, session: bool = True, timeout: float = 30
    ) -> dict[str, Any]:
        self.next_id += 1
        request: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            request["sessionId"] = self.session
        os.write(self.to_chrome, json.dumps(request).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            message = self._read(deadline)
            if message.get("id") == self.next_id:
                assert "error" not in message, f"{method}: {message['error']}"
                result: dict[str, Any] = message.get("result", {})
                return result
            self._event(message)

    def _event(self, message: dict[str, Any]) -> None:
        method, params = message.get("method"), message.get("params", {})
        if method == "Runtime.exceptionThrown":
            self.exceptions.append(json.dumps(params.get("exceptionDetails", {}))[:500])
        elif method == "Log.entryAdded":
            self.console.append(params.get("entry", {}).get("text", ""))
        elif method == "Runtime.consoleAPICalled":
            self.console.append(json.dumps(params.get("args", []))[:500])

    def open(self, url: str) -> None:
        self.send("Page.navigate", {"url": url})
        self.wait_for("document.readyState === 'complete' && location.href.startsWith('file:')")

    def eval(self, expression: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        assert "exceptionDetails" not in result, f"{expression}: {result['exceptionDetails']}"
        return result["result"].get("value")

    def wait_for(self, condition: str, timeout: float = 20) -> None:
        assert wait_until(lambda: bool(self.eval(f"!!({condition})")), timeout), f"never true: {condition}"

    def click(self, selector: str) -> None:
        """A real mouse click in the middle of the element (scrolled into view first)."""
        box = self.eval(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)}); e.scrollIntoView({{block: 'center'}});"
            " const r = e.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })()"
        )
        x, y = box
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            params = {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}
            if kind == "mouseMoved":
                params = {"type": kind, "x": x, "y": y}
            self.send("Input.dispatchMouseEvent", params)

    def type(self, text: str) -> None:
        self.send("Input.insertText", {"text": text})
