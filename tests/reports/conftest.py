"""Helpers for report tests: PDF text and fonts (pypdf), PNG artifacts (pdftoppm), and a way to
stand in for an app's ``township_stats`` when a test is about the machinery, not an app's figures."""

import io
import shutil
import subprocess
import types
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "reports"


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def pdf_pages(content: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)


def pdf_fonts(content: bytes) -> set[str]:
    """Base names of the fonts embedded in the PDF (from every page's font resources)."""
    from pypdf import PdfReader

    names = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            targets = [d.get_object() for d in descendants] if descendants else [font]
            for target in targets:
                descriptor = target.get("/FontDescriptor") or {}
                descriptor = descriptor.get_object() if hasattr(descriptor, "get_object") else descriptor
                embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                if embedded:
                    names.add(str(target.get("/BaseFont")))
    return names


def save_png_artifacts(content: bytes, stem: str, first: int = 1, last: int = 3) -> list[Path]:
    """Save PNGs of the first pages with pdftoppm (poppler-utils) under test-artifacts/reports/."""
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{stem}-[0-9]*.png"):
        old.unlink()
    pdf_path = ARTIFACTS / f"{stem}.pdf"
    pdf_path.write_bytes(content)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            str(first),
            "-l",
            str(last),
            str(pdf_path),
            str(ARTIFACTS / stem),
        ],
        check=True,
        timeout=120,
    )
    return sorted(ARTIFACTS.glob(f"{stem}-[0-9]*.png"))


def fake_selectors(stats: dict, labels: dict):
    """A stand-in selectors module exposing ``township_stats`` and ``STATS_LABELS``."""

    def township_stats(*, township_ids, start, end):
        return {tid: dict(stats) for tid in township_ids}

    return types.SimpleNamespace(township_stats=township_stats, STATS_LABELS=labels)


@pytest.fixture
def only_apps(monkeypatch):
    """Make the report see exactly the given selectors modules: ``only_apps(congress=module, …)``."""

    def apply(**modules):
        monkeypatch.setattr("reports.selectors.app_selectors", lambda: dict(modules))

    return apply


@pytest.fixture
def eager_tasks():
    """Run Celery tasks in-process even when REDIS_URL is set (the real-worker test covers Redis)."""
    from presidium.celery import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous
