"""Packaging: pyproject.toml and environment.yml agree; the console script and its help."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import yaml
from click.testing import CliRunner
from packaging.requirements import Requirement

from timeline.cli import cli

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10, which README and pyproject promise: the same parser, from PyPI
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
# PyPI name -> conda-forge name, where they differ.
CONDA_NAME: dict[str, str] = {}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def floors_from_pyproject() -> dict[str, str | None]:
    project = pyproject()["project"]
    out: dict[str, str | None] = {}
    for line in project["dependencies"]:
        req = Requirement(line)
        floors = [s.version for s in req.specifier if s.operator == ">="]
        name = canonical(req.name)
        out[CONDA_NAME.get(name, name)] = floors[0] if floors else None
    python = [
        s.version
        for s in Requirement(f"python{project['requires-python']}").specifier
        if s.operator == ">="
    ]
    out["python"] = python[0] if python else None
    return out


def floors_from_environment() -> dict[str, str | None]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    out: dict[str, str | None] = {}
    for dep in env["dependencies"]:
        if isinstance(dep, dict):  # the `pip:` list installs the package itself (-e .)
            continue
        m = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)\s*(?:>=\s*([0-9][0-9.]*))?\s*", dep)
        assert m, f"environment.yml: cannot read the dependency {dep!r}; write it as name>=version"
        if m.group(1) == "pip":  # the tool that installs the pip: list, not a dependency
            continue
        out[canonical(m.group(1))] = m.group(2)
    return out


def test_environment_yml_uses_conda_forge_only():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert env["channels"] == ["conda-forge"]
    assert {"pip": ["-e ."]} in env["dependencies"], "Binder installs the package itself with pip"


def test_environment_yml_lists_the_same_packages_and_floors_as_pyproject():
    py, env = floors_from_pyproject(), floors_from_environment()
    assert sorted(set(py) - set(env)) == [], "in pyproject.toml but not in environment.yml"
    assert sorted(set(env) - set(py)) == [], "in environment.yml but not in pyproject.toml"
    assert {k: env[k] for k in py} == py, "version floors differ"


def test_the_timeline_console_script_is_declared_and_installed():
    assert pyproject()["project"]["scripts"]["timeline"] == "timeline.cli:cli"
    (script,) = entry_points(group="console_scripts", name="timeline")
    assert script.load() is cli
    assert (Path(sys.executable).parent / "timeline").exists()


def test_timeline_help_lists_every_command():
    exe = Path(sys.executable).parent / "timeline"
    result = subprocess.run([str(exe), "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    listed = re.findall(r"^  ([a-z][a-z-]*)  ", result.stdout.split("Commands:", 1)[1], re.M)
    assert listed == sorted(cli.commands)
    assert "validate" in listed


def test_every_command_has_help():
    for name, command in cli.commands.items():
        assert command.help and command.help.strip(), f"`timeline {name}` has no help text"
        assert command.get_short_help_str().strip(), name
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0, (name, result.output)
        assert result.output.startswith(f"Usage: cli {name} ") or result.output.startswith(
            f"Usage: timeline {name} "
        )


def test_the_save_hook_extension_is_enabled_the_same_way_by_make_binder_and_a_wheel():
    # make install and Binder run postBuild (an editable install skips data files); a wheel
    # ships the same config file. The running environment was set up by make install.
    post_build = ROOT / "postBuild"
    assert post_build.stat().st_mode & 0o111, "Binder runs postBuild only if it is executable"
    assert (
        "jupyter-config/jupyter_server_config.d/timeline.authoring.savehook.json"
        in post_build.read_text(encoding="utf-8")
    )
    shipped = pyproject()["tool"]["setuptools"]["data-files"]["etc/jupyter/jupyter_server_config.d"]
    assert shipped == ["jupyter-config/jupyter_server_config.d/timeline.authoring.savehook.json"]
    installed = (
        Path(sys.prefix)
        / "etc"
        / "jupyter"
        / "jupyter_server_config.d"
        / "timeline.authoring.savehook.json"
    )
    assert json.loads(installed.read_text(encoding="utf-8")) == json.loads(
        (ROOT / shipped[0]).read_text(encoding="utf-8")
    )
    listing = subprocess.run(
        [sys.executable, "-m", "jupyter_server", "extension", "list"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    out = re.sub(r"\x1b\[[0-9;]*m", "", listing.stdout + listing.stderr)  # no colours
    assert re.search(r"timeline\.authoring\.savehook\s+enabled", out), out
    assert re.search(r"timeline\.authoring\.savehook\s+\S*OK", out), out


def glob_regex(pattern: str) -> re.Pattern[str]:
    """setuptools' package-data glob as a regex: ``**/`` is any folders (or none), ``*`` one name's part."""
    parts = re.split(r"(\*\*/|\*)", pattern)
    out = "".join(
        "(?:.*/)?" if part == "**/" else "[^/]*" if part == "*" else re.escape(part)
        for part in parts
    )
    return re.compile(out)


def test_every_file_the_package_reads_is_package_data():
    # A wheel holds only the .py files and what [tool.setuptools.package-data] names: a moved
    # static file (the authoring app's idlist.js) must still be named there.
    package_data = pyproject()["tool"]["setuptools"]["package-data"]
    missing = []
    for path in sorted((ROOT / "timeline").rglob("*")):
        if path.is_dir() or path.suffix in {".py", ".pyc"} or "__pycache__" in path.parts:
            continue
        owner = path.parent
        while not (owner / "__init__.py").exists():
            owner = owner.parent
        inside = path.relative_to(owner).as_posix()
        patterns = package_data.get(".".join(owner.relative_to(ROOT).parts), [])
        if not any(glob_regex(pattern).fullmatch(inside) for pattern in patterns):
            missing.append(path.relative_to(ROOT).as_posix())
    assert missing == []


def test_no_module_imports_one_that_imports_it_back_even_for_types() -> None:
    """pyproject's "No import loops" contract leaves type-only imports out (the layer and
    forbidden contracts must); here they count: no two sibling modules (or packages) of the
    package or its wings import each other, even under ``if TYPE_CHECKING``."""
    import grimp

    graph = grimp.build_graph("timeline", exclude_type_checking_imports=False)
    for package in ["timeline", "timeline.core", "timeline.views", "timeline.serve", "timeline.publish",
                    "timeline.interop", "timeline.i18n", "timeline.authoring"]:  # fmt: skip
        siblings = graph.find_children(package)

        def sibling(module: str, siblings: set[str] = siblings) -> str | None:
            return next((s for s in siblings if module == s or module.startswith(s + ".")), None)

        edges: dict[str, set[str]] = {s: set() for s in siblings}
        for module in graph.modules:
            a = sibling(module)
            for imported in graph.find_modules_directly_imported_by(module) if a else ():
                b = sibling(imported)
                if b and b != a:
                    edges[a].add(b)
        loops = sorted(f"{a} <-> {b}" for a in edges for b in edges[a] if a < b and a in edges[b])
        assert not loops, f"{package}: modules that import each other: {loops}"


# What `timeline serve` and `timeline snapshot` run in their own process before Jupyter loads: the
# optional IRI checker jsonschema would import (rfc3987_syntax, ~1 s of CPU to build its grammar)
# stays out, and Jupyter's schemas and the notebook's still load and validate.
SKIPPED_IMPORT = """
import sys
from timeline.startup import skip_slow_optional_imports
skip_slow_optional_imports()
import nbformat
import voila.app  # jupyter_server, jupyter_events and their event schemas
from timeline.views.contract import DASHBOARD_NOTEBOOK
nbformat.validate(nbformat.read(str(DASHBOARD_NOTEBOOK), as_version=4))
print(sorted(m for m in sys.modules if m.startswith(("rfc3987", "jsonschema._format"))))
print(sys.modules["rfc3987_syntax"])
"""


def test_our_processes_skip_the_slow_optional_iri_checker_and_still_validate() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SKIPPED_IMPORT], capture_output=True, text=True, check=True
    )
    loaded, skipped = done.stdout.splitlines()
    assert loaded == "['jsonschema._format', 'rfc3987_syntax']"
    assert skipped == "None"
