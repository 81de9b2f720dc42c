"""`timeline serve` end to end: a real server on a free port, read by a real headless Chromium.

One server (pool of 2) on a repository-like temp tree serves the whole module; a
second one (no pool: the cold path) serves a broken copy of the data for the error
page. Both always stop, with any kernel they started.
"""

from __future__ import annotations

import json
import re
import shutil
import signal
from pathlib import Path
from urllib.parse import urlparse

import pytest
from click.testing import CliRunner
from playwright.sync_api import expect
from serve_support import AUTHORING_MARKER, REQUEST_TIMEOUT, ROOT, Server, get, make_tree, wait_for

from timeline import load
from timeline.cli import cli
from timeline.errors import TimelineError
from timeline.serve.launcher import serve
from timeline.serve.options import ServeOptions

pytestmark = pytest.mark.server

DATA = ROOT / "data"
READY = "html[data-timeline-ready] #tl-chart .scatterlayer .point"
NO_KERNEL = "00000000-0000-4000-8000-000000000000"


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_tree(tmp_path_factory.mktemp("repo"), DATA)


@pytest.fixture(scope="module")
def server(tree: Path) -> Server:
    s = Server.start(
        tree / "data",
        notebook=tree / "notebooks" / "dashboard.ipynb",
        log_path=tree / "server.log",
        pool_size=2,
        extra=["--allow-host", "timeline.example.org"],
    )
    yield s
    try:  # every request of this module's tests answered without an exception, and no
        # alarming notice that means nothing to the analyst (issue 21)
        s.check_log("Traceback", "Uncaught exception", "is not trusted", "without encryption")
    finally:
        s.stop()


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> tuple[Server, list[str]]:
    """A server without a pool (each reader gets a new kernel) on data with one bad verdict."""
    root = tmp_path_factory.mktemp("broken")
    folder = root / "data"
    shutil.copytree(DATA, folder)
    claims = folder / "claims.csv"
    text = claims.read_text(encoding="utf-8")
    verdict = load(folder).claims.verdict.iloc[0]
    claims.write_text(text.replace(f",{verdict},", ",Flase,", 1), encoding="utf-8")
    # Messages name the file and line as FOLDER/claims.csv:N, without the server's own path.
    expected = [str(p).replace(str(folder), folder.name) for p in load(folder).errors()]
    assert expected, "the broken copy should have an error"
    s = Server.start(folder, log_path=root / "server.log", pool_size=0)
    yield s, expected, folder
    s.stop()


@pytest.fixture(scope="module")
def crashing(tmp_path_factory: pytest.TempPathFactory) -> Server:
    """A server whose notebook raises (a missing package, a bug): no pool, shipped data."""
    root = tmp_path_factory.mktemp("crashing")
    notebook = root / "notebooks" / "dashboard.ipynb"
    notebook.parent.mkdir()
    nb = json.loads((ROOT / "notebooks" / "dashboard.ipynb").read_text(encoding="utf-8"))
    nb["cells"][0]["source"] = [
        "import os\n",
        "raise RuntimeError('CRASH-MARKER in ' + os.getcwd())",
    ]
    notebook.write_text(json.dumps(nb), encoding="utf-8")
    s = Server.start(DATA, notebook=notebook, log_path=root / "server.log", pool_size=0)
    yield s
    s.stop()


def open_dashboard(page, server: Server) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url)
    page.wait_for_selector(READY, timeout=60_000)


# --------------------------------------------------------------------------- without a server
def test_serve_refuses_a_missing_notebook(tmp_path: Path) -> None:
    with pytest.raises(TimelineError, match=r"dashboard notebook .*nope\.ipynb is missing"):
        serve(tmp_path, options=ServeOptions(notebook=tmp_path / "nope.ipynb", port=0))


def test_serve_refuses_a_busy_port(tmp_path: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", str(tmp_path), "--port", str(port)])
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output
    assert "choose another port with --port" in result.output


def test_the_app_locks_its_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever options come in, the template, sources, tracebacks and files stay locked."""
    from traitlets.config import Config

    from timeline.serve.app import TimelineVoila
    from timeline.views.contract import DASHBOARD_NOTEBOOK

    monkeypatch.setenv("JUPYTER_PATH", "")
    c = Config()
    c.VoilaConfiguration.template = "reveal"
    c.VoilaConfiguration.allow_template_override = "YES"
    c.VoilaConfiguration.show_tracebacks = True
    c.VoilaConfiguration.strip_sources = False
    c.VoilaConfiguration.file_allowlist = [".*"]
    handler = signal.getsignal(signal.SIGTERM)
    try:
        app = TimelineVoila(config=c)
        app.initialize([str(DASHBOARD_NOTEBOOK)])
    finally:
        signal.signal(signal.SIGTERM, handler)
    conf = app.voila_configuration
    assert (conf.template, conf.allow_template_override, conf.allow_theme_override) == (
        "timeline",
        "NO",
        "NO",
    )
    assert (conf.strip_sources, conf.show_tracebacks, conf.file_allowlist) == (True, False, [])
    assert (app.ip, app.open_browser, app.port_retries, app.config_file_paths) == (
        "127.0.0.1",
        False,
        0,
        [],
    )


# --------------------------------------------------------------------------- HTTP: what a reader can reach
def test_serve_prints_its_url(server: Server) -> None:
    assert f"at {server.url}" in server.log()


def test_page_is_our_template_with_no_source_and_local_assets(server: Server) -> None:
    status, body = get(server.url)
    assert status == 200
    assert 'id="timeline-app"' in body
    assert "from timeline.notebook import show" not in body
    assert "Traceback" not in body
    scripts = re.findall(r'<script src="([^"]+)"', body)
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', body)
    assert [urlparse(u).path for u in scripts] == [
        "timeline/static/plotly.min.js",
        "timeline/static/timeline.js",
    ]
    assert [urlparse(u).path for u in styles] == ["timeline/static/timeline.css"]
    assert "voila" not in body.lower()


@pytest.mark.parametrize("asset", ["plotly.min.js", "timeline.js", "timeline.css"])
def test_assets_are_served(server: Server, asset: str) -> None:
    status, body = get(server.url + "timeline/static/" + asset)
    assert status == 200
    assert len(body) > 10


PRIVATE = [
    "tree",
    "tree/",
    "tree/notebooks",
    "voila/tree",
    "voila/tree/",
    "voila/tree/notebooks",
    "api/contents",
    "api/contents/authoring.ipynb",
    "api/contents/notebooks/authoring.ipynb",
    "voila/api/contents",
    "voila/api/contents/authoring.ipynb",
    "api/kernels",
    f"api/kernels/{NO_KERNEL}",
    f"api/kernels/{NO_KERNEL}/channels",
    "api/kernelspecs",
    "api/sessions",
    "api/terminals",
    "voila/files/authoring.ipynb",
    "voila/files/dashboard.ipynb",
    "voila/files/notes.png",
    "voila/files/data/events.csv",
    "voila/files/../data/events.csv",
    "voila/files/%2e%2e/data/events.csv",
    "voila/files/notebooks/authoring.ipynb",
    "voila/render/authoring.ipynb",
    "voila/render/notebooks/authoring.ipynb",
    "voila/render/dashboard.ipynb",
    "authoring.ipynb",
    "notebooks/authoring.ipynb",
    "dashboard.ipynb",
    "notes.png",
    "files/authoring.ipynb",
    "files/notebooks/authoring.ipynb",
    "edit/notebooks/authoring.ipynb",
    "notebooks/notebooks/authoring.ipynb",
    "data/events.csv",
    "events.csv",
    "claims.csv",
    "timeline/static/dashboard.ipynb",
    "timeline/static/..%2fauthoring.ipynb",
    "timeline/static/%2e%2e/%2e%2e/notebooks/authoring.ipynb",
    "timeline/static/../../notebooks/authoring.ipynb",
    "voila/static/voila.js",
    "voila/templates/lab/static/voila.js",
    "voila/labextensions/",
    "voila/api/themes/",
    f"voila/api/shutdown/{NO_KERNEL}",
    f"voila/query/{NO_KERNEL}",
    f"voila/execution/{NO_KERNEL}",
    "login",
    "lab",
    "static/",
    # jupyter-server-proxy is installed (a dependency) but never routed by `timeline serve`
    "timeline/",
    "proxy/22/",
    "proxy/127.0.0.1:22/",
    "proxy/absolute/22/",
    "server-proxy/servers-info",
]


@pytest.mark.parametrize("path", PRIVATE)
def test_nothing_but_the_dashboard_is_reachable(server: Server, path: str) -> None:
    status, body = get(server.url + path)
    assert status in (403, 404), f"/{path} answered {status}"
    assert AUTHORING_MARKER not in body


@pytest.mark.parametrize(
    "path",
    [
        "",
        "api/kernels",
        f"voila/api/shutdown/{NO_KERNEL}",
        f"api/kernels/{NO_KERNEL}",
        "api/contents",
    ],
)
def test_posts_are_refused(server: Server, path: str) -> None:
    kernels = {p.pid for p in server.kernels()}
    status, _ = get(server.url + path, method="POST", data=b"{}")
    assert status in (403, 404, 405), f"POST /{path} answered {status}"
    assert {p.pid for p in server.kernels()} <= kernels


@pytest.mark.parametrize(
    "query",
    [
        "?template=reveal",
        "?template=lab",
        "?template=../../../etc",
        "?theme=dark",
        "?notebook=authoring.ipynb",
        "?path=notebooks/authoring.ipynb",
    ],
)
def test_query_arguments_change_nothing(server: Server, query: str) -> None:
    status, body = get(server.url + query)
    assert status == 200
    assert 'id="timeline-app"' in body
    assert AUTHORING_MARKER not in body
    assert "reveal" not in body.lower()
    assert [urlparse(u).path for u in re.findall(r'<script src="([^"]+)"', body)] == [
        "timeline/static/plotly.min.js",
        "timeline/static/timeline.js",
    ]


# --------------------------------------------------------------------------- the browser
@pytest.mark.browser
def test_markers_drawn_no_external_request_no_console_error(page, server: Server) -> None:  # type: ignore[no-untyped-def]
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    open_dashboard(page, server)
    page.wait_for_load_state("networkidle")
    events = len(load(DATA).events)
    assert page.locator("#tl-chart .scatterlayer .point").count() >= events
    assert page.locator("#tl-count").inner_text().startswith(f"{events} of {events} events")
    foreign = [
        u
        for u in requests
        if urlparse(u).hostname != "127.0.0.1" and not u.startswith(("data:", "blob:"))
    ]
    assert foreign == []
    assert page.console_errors == []


PICK_ISOLATED_POINT = """() => {
  const gd = document.getElementById('tl-chart');
  gd.scrollIntoView({block: 'center'});
  const pts = [];
  gd.querySelectorAll('.scatterlayer .trace').forEach((tr) => {
    const cd = tr.__data__, trace = cd && cd[0] && cd[0].trace;
    if (!trace || !trace.customdata) return;
    tr.querySelectorAll('.point').forEach((pt) => {
      const i = pt.__data__ && pt.__data__.i;
      const r = pt.getBoundingClientRect();
      if (i == null || !(r.width || r.height)) return;
      pts.push({id: trace.customdata[i], x: r.x + r.width / 2, y: r.y + r.height / 2});
    });
  });
  const isolated = pts.filter((p) => pts.every((q) => q === p || Math.hypot(p.x - q.x, p.y - q.y) > 24));
  return isolated.length ? isolated[Math.floor(isolated.length / 2)] : null;
}"""


@pytest.mark.browser
def test_clicking_a_marker_opens_its_card(page, server: Server) -> None:  # type: ignore[no-untyped-def]
    open_dashboard(page, server)
    point = page.evaluate(PICK_ISOLATED_POINT)
    assert point, "no marker stands apart enough to click"
    page.mouse.move(point["x"], point["y"])
    page.mouse.click(point["x"], point["y"])
    selected = page.locator(f'#tl-selected[data-event="{point["id"]}"]')
    selected.wait_for(state="visible", timeout=10_000)
    events = load(DATA).events.set_index("id")
    assert events.loc[point["id"], "title"] in selected.inner_text()
    assert page.console_errors == []


CLAIM_LINKS = """() => {
  const out = {};
  document.querySelectorAll('#tl-list li.tl-claim').forEach((li) => {
    out[li.id] = [...li.querySelectorAll('a.tl-source')].map((a) => ({
      href: a.getAttribute('href'), target: a.getAttribute('target'), rel: a.getAttribute('rel') || ''}));
  });
  return out;
}"""


@pytest.mark.browser
def test_every_claim_links_its_sources(page, server: Server) -> None:  # type: ignore[no-untyped-def]
    ds = load(DATA)
    url = dict(zip(ds.sources.id, ds.sources.url, strict=True))
    open_dashboard(page, server)
    found = page.evaluate(CLAIM_LINKS)
    missing = []
    for claim in ds.claims.itertuples():
        links = found.get(f"claim-{claim.id}")
        if links is None:
            missing.append(f"claim-{claim.id}: not in the list")
            continue
        for link in links:
            href = urlparse(link["href"] or "")
            assert href.scheme in ("http", "https") and href.netloc, (
                f"claim-{claim.id}: bad href {link['href']!r}"
            )
            assert link["target"] == "_blank"
            assert {"noopener", "noreferrer"} <= set(link["rel"].split())
        hrefs = {link["href"] for link in links}
        for source in [claim.said_in, *[s for s in claim.evidence.split(";") if s]]:
            if url.get(source) and url[source] not in hrefs:
                missing.append(f"claim-{claim.id}: {source} ({url[source]})")
    assert missing == []
    assert len(found) == len(ds.claims)


@pytest.mark.browser
def test_filters_change_the_count(page, server: Server) -> None:  # type: ignore[no-untyped-def]
    events = load(DATA).events
    total = len(events)
    open_dashboard(page, server)
    count = page.locator("#tl-count")
    options = page.locator("select#tl-filter-category option").evaluate_all(
        "os => os.map(o => o.value)"
    )
    category = next(v for v in options if v)
    n = int((events.category == category).sum())
    assert 0 < n < total
    page.select_option("select#tl-filter-category", category)
    expect(count).to_have_text(re.compile(f"^{n} of {total} events"))
    page.select_option("select#tl-filter-category", "")
    expect(count).to_have_text(re.compile(f"^{total} of {total} events"))
    assert page.console_errors == []


@pytest.mark.browser
def test_empty_state_and_clear(page, server: Server) -> None:  # type: ignore[no-untyped-def]
    total = len(load(DATA).events)
    open_dashboard(page, server)
    empty = page.locator("#tl-empty")
    assert empty.is_hidden()
    page.fill("input#tl-search", "zzqx no such words anywhere")
    empty.wait_for(state="visible")
    assert page.locator("#tl-count").inner_text().startswith(f"0 of {total} events")
    page.click("button#tl-empty-clear")
    empty.wait_for(state="hidden")
    assert page.locator("input#tl-search").input_value() == ""
    assert page.locator("#tl-count").inner_text().startswith(f"{total} of {total} events")
    assert page.console_errors == []


@pytest.mark.browser
def test_readers_hold_no_kernel_and_start_none(browser, server: Server) -> None:  # type: ignore[no-untyped-def]
    """The page is kept for every reader: open tabs hold no kernel and cause no render.

    (Each render's own kernel shutting down is tested in test_faults.py, with the
    page cache off, and below for the error pages.)"""
    status, _ = get(server.url)  # the kept page exists before the readers come
    assert status == 200
    server.wait_pool()
    before = {p.pid for p in server.kernels()}
    contexts = [browser.new_context() for _ in range(3)]
    try:
        pages = [c.new_page() for c in contexts]
        for pg in pages:
            pg.goto(server.url, wait_until="commit")
        for pg in pages:
            pg.wait_for_selector(READY, timeout=60_000)
            assert {p.pid for p in server.kernels()} == before
    finally:
        for c in contexts:
            for pg in c.pages:
                pg.close(run_before_unload=True)
            c.close()
    assert {p.pid for p in server.kernels()} == before
    assert len(before) == server.pool_size


def test_the_kept_page_revalidates_and_is_gzipped(server: Server) -> None:
    import httpx

    with httpx.Client(
        timeout=REQUEST_TIMEOUT
    ) as client:  # the first reader may wait for the render
        first = client.get(server.url)
        assert first.status_code == 200
        assert first.headers["content-encoding"] == "gzip"
        assert first.headers["cache-control"] == "no-cache"
        assert "Accept-Encoding" in first.headers["vary"]
        again = client.get(server.url, headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304 and again.content == b""
        plain = client.get(server.url, headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in plain.headers
        assert plain.text == first.text
        assert plain.headers["content-security-policy"].startswith("default-src 'none'")


@pytest.mark.parametrize("host", ["localhost", "[::1]", "timeline.example.org"])
def test_the_page_answers_loopback_and_allowed_hosts_only(server: Server, host: str) -> None:
    """The real server's hosts come from --allow-host (tests/serve/test_abuse.py checks the rules in-process)."""
    import httpx

    page = httpx.get(server.url, headers={"Host": f"{host}:{server.port}"}, timeout=REQUEST_TIMEOUT)
    assert page.status_code == 200 and 'id="timeline-app"' in page.text
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert httpx.get(server.url, headers={"Host": "evil.example"}).status_code == 403


def test_claim_cards_link_their_pages_on_this_server(server: Server) -> None:
    ids = load(DATA).claims["id"].tolist()
    status, page = get(server.url)
    assert status == 200 and all(f'href="claims/{i}.html"' in page for i in ids)
    status, html = get(f"{server.url}claims/{ids[0]}.html")
    assert status == 200 and f'id="claim-{ids[0]}"' in html


def test_head_of_the_page_answers_like_get_without_a_body(server: Server) -> None:
    import httpx

    got = httpx.get(server.url, timeout=REQUEST_TIMEOUT)  # the first reader may wait for the render
    head = httpx.head(server.url, timeout=REQUEST_TIMEOUT)
    assert head.status_code == got.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == got.headers["content-length"]
    assert head.headers["etag"] == got.headers["etag"]


def test_assets_are_cached_for_a_year_under_their_hashed_urls(server: Server) -> None:
    import httpx

    _, body = get(server.url)
    urls = re.findall(r'(?:src|href)="(timeline/static/[^"]+)"', body)
    assert len(urls) == 3
    with httpx.Client(
        timeout=REQUEST_TIMEOUT
    ) as client:  # the first reader may wait for the render
        for url in urls:
            r = client.get(server.url + url)
            assert r.status_code == 200, url
            assert r.headers["content-encoding"] == "gzip"
            assert r.headers["cache-control"] == "public, max-age=31536000, immutable"
            again = client.get(server.url + url, headers={"If-None-Match": r.headers["etag"]})
            assert again.status_code == 304
        unversioned = client.get(server.url + urls[0].split("?")[0])
        assert unversioned.headers["cache-control"] == "no-cache"


@pytest.mark.browser
def test_broken_data_shows_the_validator_message_and_no_traceback(page, broken) -> None:  # type: ignore[no-untyped-def]
    server, expected, folder = broken
    page.goto(server.url)
    error = page.locator("#timeline-error")
    error.wait_for(state="visible", timeout=60_000)
    text = error.inner_text()
    for message in expected:
        assert message in text
    assert "claims.csv:" in text
    content = page.content()
    assert "Traceback" not in content and 'id="timeline-app"' not in content
    assert str(folder) not in content
    assert page.console_errors == []
    # No pool: the reader's kernel was started for it and is gone once the page is sent.
    wait_for(lambda: not server.kernels(), timeout=30, what="the reader's kernel to shut down")


def test_a_crashing_notebook_shows_a_short_error_and_logs_the_traceback(crashing: Server) -> None:
    status, body = get(crashing.url)
    # 500, not kept: the server keeps no failed render, and the reader may reload.
    assert status == 500
    assert 'id="timeline-error"' in body
    assert '<a href="./">Reload the page</a>' in body
    assert "CRASH-MARKER" not in body and "Traceback" not in body and "RuntimeError" not in body
    wait_for(
        lambda: "RuntimeError: CRASH-MARKER" in crashing.log(),
        timeout=10,
        what="the traceback in the log",
    )
    wait_for(lambda: not crashing.kernels(), timeout=30, what="the reader's kernel to shut down")


# Under JupyterHub's base URL: tests/e2e/test_paged_long.py (its long story's server is started there).
