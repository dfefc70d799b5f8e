"""Check a built wheel's layout: only the tsbplace namespace at top level, with the Qt layer,
the clinical content, the resources and the migrations inside it.

    python scripts/check-wheel.py dist/tsbplace-*.whl
"""

from __future__ import annotations

import sys
import zipfile

REQUIRED = (
    "tsbplace/cli.py",
    "tsbplace/py.typed",
    "tsbplace/ui/main_window.py",
    "tsbplace/ui/qt.py",
    "tsbplace/rules/levels.toml",
    "tsbplace/rules/ruleset.toml",
    "tsbplace/rules/outputs.toml",
    "tsbplace/rules/golden/vignettes.toml",
    "tsbplace/rules/domains/rus.toml",
    "tsbplace/rules/domains/forlop.toml",
    "tsbplace/rules/guideline_areas.toml",
    "tsbplace/rules/facts.toml",
    "tsbplace/resources/schemas/facts.schema.json",
    "tsbplace/resources/schemas/outputs.schema.json",
    "tsbplace/resources/schemas/vignettes.schema.json",
    "tsbplace/resources/schemas/guideline-areas.schema.json",
    "tsbplace/rules/instruments/phq9.toml",
    "tsbplace/instruments/scoring.py",
    "tsbplace/resources/schemas/instrument.schema.json",
    "tsbplace/resources/fonts/NotoSans-Regular.ttf",
    "tsbplace/resources/fonts/OFL.txt",
    "tsbplace/resources/i18n/nb.toml",
    "tsbplace/resources/i18n/en.toml",
    "tsbplace/resources/schemas/ruleset.schema.json",
    "tsbplace/resources/schemas/case-file.schema.json",
    "tsbplace/resources/examples/alkohol-abstinenskramper.json",
    "tsbplace/rules/legal.toml",
    "tsbplace/resources/schemas/legal.schema.json",
    "tsbplace/legal/dates.py",
    "tsbplace/storage/migrations/env.py",
    "tsbplace/storage/migrations/script.py.mako",
    "tsbplace/storage/migrations/versions/0001_initial.py",
)


def problems(path: str) -> list[str]:
    with zipfile.ZipFile(path) as wheel:
        names = set(wheel.namelist())
    found = []
    top = {name.split("/", 1)[0] for name in names}
    extra = {t for t in top if t != "tsbplace" and not t.endswith((".dist-info", ".data"))}
    if extra:
        found.append(f"unexpected top-level entries: {sorted(extra)}")
    found += [f"missing {name}" for name in REQUIRED if name not in names]
    return found


def main() -> int:
    failed = False
    for path in sys.argv[1:]:
        for problem in problems(path):
            print(f"{path}: {problem}")
            failed = True
    if not sys.argv[1:]:
        print("usage: check-wheel.py WHEEL…")
        return 2
    print("wheel layout ok" if not failed else "wheel layout has problems")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
