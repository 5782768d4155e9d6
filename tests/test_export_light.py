"""The export package stays cheap to import: the CLI and the TUI load it on start-up."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import PROJECT_ROOT


def test_importing_app_export_loads_no_format_module() -> None:
    code = (
        "import sys, app.export; "
        "heavy = [m for m in sys.modules if m.startswith('app.export.') and m not in "
        "('app.export.errors', 'app.export.result')] + "
        "[m for m in ('textual', 'sqlite_utils', 'csv', 'html') if m in sys.modules]; "
        "print(','.join(sorted(heavy)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""
